#!/usr/bin/env bash
# Checks a stack for drift (see check-drift.mjs, which decides from the engine's JSON plan).
# Exit status: 0 no drift, 2 drift found, 1 any other failure (credentials, network, program error).
#
#   ./check-drift.sh <stack> [<project directory>] [-- <more pulumi preview arguments>]
exec node "$(dirname "${BASH_SOURCE[0]}")/check-drift.mjs" "$@"
