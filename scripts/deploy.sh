#!/usr/bin/env bash
# The deploy command: builds the app and uploads it to an S3 website bucket (see deploy/deploy.py and the
# README's "Deploy to AWS"). Uses your usual AWS credentials (environment, ~/.aws, or a profile).
#   scripts/deploy.sh --stack STACK --region REGION
#   scripts/deploy.sh --bucket BUCKET --user-pool-id ID --client-id ID [--region REGION] [--dry-run]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$PROJECT_ROOT"
scripts/setup.sh >&2
exec .tools/python/bin/python deploy/deploy.py "$@"
