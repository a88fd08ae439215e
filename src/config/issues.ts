import type * as v from "valibot";
import { type ConfigProblem, formatPath, type ProblemCode } from "./errors";
import { acceptedBy, entriesOf, schemaAt } from "./schema-walk";

/** Schema types that are a choice among fixed values. */
const CHOICES = new Set(["picklist", "literal", "variant"]);

/** valibot's issues, as config problems: every unknown field named, missing fields with what they accept. */
export function issueProblems(issue: v.BaseIssue<unknown>): ConfigProblem[] {
  const keys = (issue.path ?? []).map((item) => item.key as PropertyKey);
  const last = issue.path?.at(-1);
  const isKeyIssue = (issue.type === "strict_object" || issue.type === "object") && last?.origin === "key";
  if (isKeyIssue && issue.expected === "never") {
    // valibot stops at an object's first unknown field; name them all.
    const parentPath = keys.slice(0, -1);
    const accepted = Object.keys(entriesOf(schemaAt(parentPath), undefined, last.input) ?? {});
    const given = last.input !== null && typeof last.input === "object" ? Object.keys(last.input as object) : [String(last.key)];
    return given
      .filter((key) => !accepted.includes(key))
      .map((key) => ({ code: "field.unknown", path: formatPath(parentPath), message: `unknown field ${key}; accepted fields: ${accepted.join(", ")}` }));
  }
  if (isKeyIssue && issue.received === "undefined") {
    return [{ code: "field.missing", path: formatPath(keys), message: `missing required field; ${acceptedBy(schemaAt(keys))}`, value: undefined }];
  }
  // valibot's own messages ("Invalid type: Expected Object but received 5") are shortened to ours.
  const message = issue.message.startsWith("Invalid ") ? `expected ${issue.expected}` : issue.message;
  return [{ code: codeOf(issue), path: formatPath(keys), message, value: issue.input }];
}

function codeOf(issue: v.BaseIssue<unknown>): ProblemCode {
  if (issue.kind !== "schema") return "field.format";
  return CHOICES.has(issue.type) ? "field.not-one-of" : "field.type";
}

/** Each problem once: the same check can be reached through the whole config and through its part. */
export function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.code}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
