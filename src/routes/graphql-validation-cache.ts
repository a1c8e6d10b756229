import type { DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * Remembers the validation result of each parsed document, for a yoga instance whose schema and
 * validation rules never change (ours: the limits are rules fixed at start).
 *
 * yoga's own validation cache keys every lookup by the names of all validation rules, joined
 * into one long string on every request: with graphql-armor's rules added to the standard ones,
 * that key cost more than the validation it saves (about 4% of a cached `video` query's time).
 * Here the key is the document itself: yoga's parse cache hands the same `DocumentNode` to every
 * request with the same query text, and a document that leaves that cache leaves this one with
 * it (a `WeakMap`), so what is held stays bounded by the parse cache. Failed validations are
 * remembered too: the same document fails the same way (depth, aliases, cost, unknown fields).
 *
 * Turn yoga's own validation cache off beside it (`parserAndValidationCache:
 * { validationCache: false }`); its parse cache stays.
 */
export function useValidationCache(): Plugin {
  const results = new WeakMap<DocumentNode, readonly Error[]>();
  return {
    onValidate({ params, setResult }) {
      const known = results.get(params.documentAST);
      if (known !== undefined) {
        setResult(known);
        return;
      }
      return ({ result }) => {
        results.set(params.documentAST, result);
      };
    },
  };
}
