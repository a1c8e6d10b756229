import SchemaBuilder from "@pothos/core";
import ValidationPlugin from "@pothos/plugin-validation";
import { BadUserInputError } from "../core/errors.ts";
import type { GraphQLContext } from "./context.ts";

export interface SchemaTypes {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>>;

/** A fresh Pothos builder: arguments validated with zod, failures reported as `BAD_USER_INPUT`. */
export function createBuilder(): Builder {
  return new SchemaBuilder<SchemaTypes>({
    plugins: [ValidationPlugin],
    defaultFieldNullability: false,
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
