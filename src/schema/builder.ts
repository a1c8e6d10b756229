import SchemaBuilder from "@pothos/core";
import RelayPlugin from "@pothos/plugin-relay";
import ValidationPlugin from "@pothos/plugin-validation";
import { BadUserInputError } from "../core/errors.ts";
import type { GraphQLContext } from "./context.ts";

export interface SchemaTypes {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  /** What every Relay connection carries besides its edges (lists: how many entries YouTube says). */
  Connection: { totalCount?: number | undefined };
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>>;

/**
 * A fresh Pothos builder: Relay connections, arguments validated with zod, failures reported as
 * `BAD_USER_INPUT`.
 */
export function createBuilder(): Builder {
  return new SchemaBuilder<SchemaTypes>({
    plugins: [RelayPlugin, ValidationPlugin],
    defaultFieldNullability: false,
    // Connections only (lists of videos); no global object identification.
    relay: {},
    validation: {
      validationError: (result) =>
        new BadUserInputError(
          result.issues
            .map((issue) => {
              const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
              return path ? `${path}: ${issue.message}` : issue.message;
            })
            .join("; "),
        ),
    },
  });
}
