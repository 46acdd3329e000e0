#!/usr/bin/env bash
# Checks a stack for drift: refreshes from the cloud (in memory only) and fails when anything would change.
# Exit status: 0 no drift, 2 drift found, 1 any other failure (credentials, network, program error).
#
#   ./check-drift.sh <stack> [<project directory>]
set -uo pipefail
stack="${1:?usage: check-drift.sh <stack> [project directory]}"
dir="${2:-.}"

output=$(pulumi preview --refresh --expect-no-changes --diff --non-interactive --stack "$stack" --cwd "$dir" 2>&1)
status=$?
echo "$output"
if [ "$status" -eq 0 ]; then
  echo "drift check: stack $stack matches the cloud"
  exit 0
fi
if grep -Eq "no changes were expected( for preview)? but changes were proposed" <<<"$output"; then
  echo "drift check: DRIFT in stack $stack (see the plan above; 'pulumi up --refresh' repairs what can be repaired)"
  exit 2
fi
echo "drift check: the check itself failed (exit $status)"
exit 1
