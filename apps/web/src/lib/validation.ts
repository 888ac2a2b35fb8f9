interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** Field name → first message of a failed parse: the same messages the server would send. */
export function issuesByField(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field === "string" && !out[field]) out[field] = issue.message;
  }
  return out;
}
