// An auto-scaling web tier: servers from a launch configuration, kept between 2 and 10, scaled out and in
// on CPU, raised every weekday morning, with failures notified to the on-call user.
import * as pulumi from "@pulumi/pulumi";
import * as scp from "pulumi-scp-virtualserver";

const config = new pulumi.Config();
const subnetIds = config.getObject<string[]>("subnetIds") ?? ["subnet-web-a"];
const release = config.get("release") ?? "v1";

const image = scp.getImageOutput({ osDistro: "ubuntu", mostRecent: true });

// Changing anything here creates a new launch configuration, repoints the group, then deletes the old one.
const template = new scp.LaunchConfiguration("web", {
  name: `web-${release}`,
  imageId: image.id,
  serverTypeId: "s1v2m4",
  volumes: [{ size: 50, type: "SSD" }],
  userData: `#!/bin/sh\napt-get install -y nginx\necho ${release} > /var/www/html/version\n`,
});

const tier = new scp.AutoScalingGroup("web", {
  name: "web-tier",
  launchConfigurationId: template.id,
  minServerCount: 2,
  maxServerCount: 10,
  // desiredServerCount is left unset: the policies and the schedule own it, and their scaling is not drift.
  subnetIds,
  serverNamePrefix: "web",
  drainEnabled: true,
  drainTimeoutSeconds: 120,
  waitForCapacityTimeout: "15m",
});

const policy = (
  name: string,
  scaleType: "SCALE_OUT" | "SCALE_IN",
  comparisonOperator: "ge" | "le",
  threshold: number,
) =>
  new scp.AutoScalingPolicy(name, {
    autoScalingGroupId: tier.id,
    name,
    metricType: "CPU",
    metricMethod: "AVG",
    comparisonOperator,
    threshold,
    evaluationMinutes: 5,
    scaleType,
    scaleMethod: "AMOUNT",
    scaleValue: 1,
    cooldownSeconds: 300,
  });
policy("cpu-high", "SCALE_OUT", "ge", 70);
policy("cpu-low", "SCALE_IN", "le", 20);

new scp.AutoScalingSchedule("weekday-morning", {
  autoScalingGroupId: tier.id,
  name: "weekday-morning",
  frequency: "WEEKLY",
  daysOfWeek: ["MO", "TU", "WE", "TH", "FR"],
  hour: 8,
  minute: 30,
  timezone: "Asia/Seoul",
  minServerCount: 4,
});

new scp.AutoScalingNotification("on-call", {
  autoScalingGroupId: tier.id,
  userId: config.get("onCallUserId") ?? "on-call-user",
  events: ["SCALE_OUT_FAIL", "SCALE_IN_FAIL"],
});

export const groupId = tier.id;
export const servers = tier.totalServerCount;
export const currentDesired = tier.currentDesiredServerCount;
