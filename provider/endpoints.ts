/**
 * Which base URL a request goes to: the endpoint override when set (private endpoint, proxy, emulator);
 * otherwise the documented host pattern for a known region; otherwise discovery through the IAM
 * `{authUrl}/endpoints` catalogue, as the official SDK does.
 */
import { z } from "zod";
import { ScpSettingsError } from "./errors";
import type { ScpSettings } from "./settings";

/** Environment letter for each region the reference names; `s` is the default for kr-west1/kr-east1. */
const REGION_ENVIRONMENTS: Readonly<Record<string, readonly string[]>> = {
  "kr-west1": ["s", "e"],
  "kr-east1": ["s", "e"],
  "kr-south1": ["g"],
  "kr-south2": ["g"],
  "kr-south3": ["g"],
};

export const SERVICE_TYPE = "scp-virtualserver";

export function hostPatternUrl(region: string, environment?: string): string | undefined {
  const allowed = REGION_ENVIRONMENTS[region];
  if (!allowed) return undefined;
  const env = environment ?? allowed[0];
  if (!env || !allowed.includes(env)) {
    throw new ScpSettingsError(
      `environment "${environment}" is not offered in region ${region} (use ${allowed.join(" or ")})`,
    );
  }
  return `https://virtualserver.${region}.${env}.samsungsdscloud.com`;
}

const catalogueSchema = z.object({
  endpoints: z.array(
    z.object({ region: z.string(), service_type: z.string(), service_name: z.string().optional(), url: z.string() }),
  ),
});

/** Picks the virtual server endpoint for the region out of an `/endpoints` answer. */
export function pickEndpoint(catalogue: unknown, region: string | undefined): string {
  const parsed = catalogueSchema.safeParse(catalogue);
  if (!parsed.success) throw new ScpSettingsError("the endpoint catalogue answered in an unexpected shape");
  const candidates = parsed.data.endpoints.filter((e) => e.service_type === SERVICE_TYPE);
  const match = region ? candidates.find((e) => e.region === region) : candidates[0];
  if (!match) {
    const regions = candidates.map((e) => e.region).join(", ") || "none";
    throw new ScpSettingsError(
      `no ${SERVICE_TYPE} endpoint for region ${region ?? "(unset)"} (catalogue offers: ${regions})`,
    );
  }
  return match.url.replace(/\/+$/, "");
}

/**
 * The base URL for these settings, or `undefined` when it must be discovered (authUrl set, region not
 * one of the known ones). Throws when neither is possible.
 */
export function staticBaseUrl(settings: ScpSettings): string | undefined {
  if (settings.endpointOverride) return settings.endpointOverride.replace(/\/+$/, "");
  const fromPattern = settings.region ? hostPatternUrl(settings.region, settings.environment) : undefined;
  if (fromPattern) return fromPattern;
  if (settings.authUrl) return undefined;
  throw new ScpSettingsError(
    "no SCP endpoint: set scp:endpointOverride (or SCP_ENDPOINT_OVERRIDE), a region (scp:region, SCP_REGION, " +
      `SCP_TF_DEFAULT_REGION; known: ${Object.keys(REGION_ENVIRONMENTS).join(", ")}), or scp:authUrl for discovery`,
  );
}
