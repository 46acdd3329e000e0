/**
 * Ids of objects that live under a parent (an auto-scaling group's policies, a server's volumes): the
 * API addresses them by both ids, so the resource id holds both, `parentId:childId`.
 */
export function nestedId(parentId: string, childId: string): string {
  return `${parentId}:${childId}`;
}

export function parseNestedId(id: string, what: string): { parentId: string; childId: string } {
  const [parentId = "", childId = "", ...rest] = id.split(":");
  if (!parentId || !childId || rest.length > 0) throw new Error(`${what} id "${id}" must look like <parent id>:<id>`);
  return { parentId, childId };
}
