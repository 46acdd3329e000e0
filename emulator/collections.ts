/**
 * The names of the emulator's collections, in one place: the keys of the store and of the control API
 * (`/_emulator/objects/{collection}/{id}`). Nested collections are named after their parent's id.
 */
export const COLLECTIONS = {
  servers: "servers",
  volumes: "volumes",
  snapshots: "snapshots",
  images: "images",
  volumeTransfers: "volume-transfers",
  keypairs: "keypairs",
  serverTypes: "server-types",
  volumeTypes: "volume-types",
  serverGroups: "server-groups",
  launchConfigurations: "launch-configurations",
  autoScalingGroups: "auto-scaling-groups",
} as const;

export type TopCollection = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** A group's policies, schedules or notifications: `auto-scaling-groups/{id}/policies`. */
export type GroupChildCollection = `auto-scaling-groups/${string}/${"policies" | "schedules" | "notifications"}`;
/** A server's network interfaces: `servers/{id}/interfaces`. */
export type InterfaceCollection = `servers/${string}/interfaces`;

/** An image's members (the accounts it is shared with): `images/{id}/members`. */
export type ImageMemberCollection = `images/${string}/members`;

export type CollectionName = TopCollection | GroupChildCollection | InterfaceCollection | ImageMemberCollection;

export const groupChildren = (
  groupId: string,
  kind: "policies" | "schedules" | "notifications",
): GroupChildCollection => `${COLLECTIONS.autoScalingGroups}/${groupId}/${kind}`;

export const interfacesOf = (serverId: string): InterfaceCollection => `${COLLECTIONS.servers}/${serverId}/interfaces`;

export const membersOf = (imageId: string): ImageMemberCollection => `${COLLECTIONS.images}/${imageId}/members`;
