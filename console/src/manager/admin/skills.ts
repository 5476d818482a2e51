/** Skills in a form: known queues as checkboxes, any other queue ids typed in (new queues have no entry point yet). */
export interface SkillsDraft {
  checked: string[];
  other: string;
}

export function skillsDraft(skills: readonly string[], queueIds: readonly string[]): SkillsDraft {
  return {
    checked: skills.filter((skill) => queueIds.includes(skill)),
    other: skills.filter((skill) => !queueIds.includes(skill)).join(', '),
  };
}

export function skillsOf(draft: SkillsDraft): string[] {
  const typed = draft.other.split(/[\s,]+/).filter(Boolean);
  return [...new Set([...draft.checked, ...typed])];
}

export const sameSkills = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((skill) => b.includes(skill));
