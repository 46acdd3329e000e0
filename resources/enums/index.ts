/**
 * The allowed values of the enumerated inputs, as pulumi-aws gives them: a const object to write
 * `scp.PowerState.Shutoff`, and a type of the same name for its values (a plain string such as `"SHUTOFF"`
 * is the same value). The input schemas take their values from here, so each set is written once.
 */

/** The power state of a `VirtualServer`: running or stopped. */
export const PowerState = {
  /** Running (the API's `ACTIVE`). */
  Active: "ACTIVE",
  /** Stopped (the API's `SHUTOFF`). */
  Shutoff: "SHUTOFF",
} as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];

/** How a `VirtualServer`'s `securityGroupIds` change is applied. */
export const SecurityGroupUpdate = {
  /** A new server: the only way the current API offers. */
  Replace: "replace",
  /** In place, through Attach/Detach Virtual Server Security Group (API version 1.0 only). */
  AttachDetach: "attach-detach",
} as const;
export type SecurityGroupUpdate = (typeof SecurityGroupUpdate)[keyof typeof SecurityGroupUpdate];

/** A `VirtualServer`'s product category (reference: List Virtual Servers' `product_category`). */
export const ProductCategory = {
  Compute: "compute",
  Container: "container",
} as const;
export type ProductCategory = (typeof ProductCategory)[keyof typeof ProductCategory];

/** A `VirtualServer`'s product offering (reference: List Virtual Servers' `product_offering`). */
export const ProductOffering = {
  VirtualServer: "virtual_server",
  GpuServer: "gpu_server",
  K8sVm: "k8s_vm",
  K8sGpuVm: "k8s_gpu_vm",
} as const;
export type ProductOffering = (typeof ProductOffering)[keyof typeof ProductOffering];

/** A `ServerGroup`'s placement policy. */
export const ServerGroupPolicy = {
  /** All members on one host. */
  Affinity: "affinity",
  /** Each member on a different host. */
  AntiAffinity: "anti-affinity",
  /** One host where possible. */
  SoftAffinity: "soft-affinity",
  /** Different hosts where possible. */
  SoftAntiAffinity: "soft-anti-affinity",
  /** Members spread over partitions (`partitionNumber` of a server). */
  Partition: "partition",
} as const;
export type ServerGroupPolicy = (typeof ServerGroupPolicy)[keyof typeof ServerGroupPolicy];

/** Whether an auto-scaling policy, schedule or notification is in effect. */
export const ActivationState = {
  Active: "ACTIVE",
  Inactive: "INACTIVE",
} as const;
export type ActivationState = (typeof ActivationState)[keyof typeof ActivationState];

/** The metric an `AutoScalingPolicy` watches. */
export const MetricType = {
  Cpu: "CPU",
  Memory: "MEMORY",
  NetworkIn: "NETWORK_IN",
  NetworkOut: "NETWORK_OUT",
  DiskRead: "DISK_READ",
  DiskWrite: "DISK_WRITE",
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** How an `AutoScalingPolicy` combines the members' metric values. */
export const MetricMethod = {
  Average: "AVG",
  Maximum: "MAX",
  Minimum: "MIN",
} as const;
export type MetricMethod = (typeof MetricMethod)[keyof typeof MetricMethod];

/** How an `AutoScalingPolicy` compares the metric with its threshold. */
export const ComparisonOperator = {
  GreaterThanOrEqual: "ge",
  GreaterThan: "gt",
  LessThanOrEqual: "le",
  LessThan: "lt",
} as const;
export type ComparisonOperator = (typeof ComparisonOperator)[keyof typeof ComparisonOperator];

/** Whether an `AutoScalingPolicy` adds servers or removes them. */
export const ScaleType = {
  ScaleOut: "SCALE_OUT",
  ScaleIn: "SCALE_IN",
} as const;
export type ScaleType = (typeof ScaleType)[keyof typeof ScaleType];

/** How an `AutoScalingPolicy`'s `scaleValue` counts. */
export const ScaleMethod = {
  /** A number of servers to add or remove. */
  Amount: "AMOUNT",
  /** A percentage of the current servers. */
  Percentage: "PERCENTAGE",
  /** The number of servers to have. */
  Fixed: "FIXED",
} as const;
export type ScaleMethod = (typeof ScaleMethod)[keyof typeof ScaleMethod];

/** How often an `AutoScalingSchedule` runs. */
export const ScheduleFrequency = {
  Once: "ONCE",
  Daily: "DAILY",
  Weekly: "WEEKLY",
  Monthly: "MONTHLY",
} as const;
export type ScheduleFrequency = (typeof ScheduleFrequency)[keyof typeof ScheduleFrequency];

/** A day of a weekly `AutoScalingSchedule`. */
export const DayOfWeek = {
  Monday: "MO",
  Tuesday: "TU",
  Wednesday: "WE",
  Thursday: "TH",
  Friday: "FR",
  Saturday: "SA",
  Sunday: "SU",
} as const;
export type DayOfWeek = (typeof DayOfWeek)[keyof typeof DayOfWeek];

/** An auto-scaling group event an `AutoScalingNotification` tells its user about. */
export const NotificationEvent = {
  ScaleOut: "SCALE_OUT",
  ScaleOutFail: "SCALE_OUT_FAIL",
  ScaleIn: "SCALE_IN",
  ScaleInFail: "SCALE_IN_FAIL",
  SatisfiedPolicyConditions: "SATISFIED_POLICY_CONDITIONS",
} as const;
export type NotificationEvent = (typeof NotificationEvent)[keyof typeof NotificationEvent];

/** Who may see an `Image` (reference: List Images' `visibility`). */
export const ImageVisibility = {
  Private: "private",
  Shared: "shared",
  Community: "community",
  Public: "public",
} as const;
export type ImageVisibility = (typeof ImageVisibility)[keyof typeof ImageVisibility];

/** What an `ImageMemberAcceptance` answers to an image shared with the account. */
export const ImageMemberDecision = {
  Accepted: "accepted",
  Rejected: "rejected",
} as const;
export type ImageMemberDecision = (typeof ImageMemberDecision)[keyof typeof ImageMemberDecision];

/** The values of one of these objects, as the non-empty list `z.enum` takes, in declaration order. */
export const enumValues = <T extends Readonly<Record<string, string>>>(values: T): [T[keyof T], ...T[keyof T][]] =>
  Object.values(values) as [T[keyof T], ...T[keyof T][]];
