#!/usr/bin/env python3
"""Deploys the app to an S3 static-website bucket with the aws cli.

    scripts/deploy.sh --stack STACK [--region REGION]
    scripts/deploy.sh --bucket BUCKET --user-pool-id ID --client-id ID [--region REGION]

Builds the release (trunk build --release) unless --dist names a finished build, writes config.json for the
pool (its password policy read with DescribeUserPool when the credentials allow), and uploads:
hashed assets with `Cache-Control: public,max-age=31536000,immutable`, index.html and config.json with
`no-cache`, every file with its Content-Type (.wasm as application/wasm); index.html goes last, then files
of earlier deploys that the new build no longer has are removed. --dry-run prints the plan and changes
nothing. Bad or missing arguments stop it before anything is uploaded.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMMUTABLE = "public,max-age=31536000,immutable"
NO_CACHE = "no-cache"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}
# Files every deploy rewrites in place: browsers must revalidate them.
MUTABLE = {"index.html", "config.json"}
POOL_ID = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$")
CLIENT_ID = re.compile(r"^[\w+]{1,128}$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# Regions whose website endpoints use a dash (s3-website-REGION); newer ones use a dot.
DASH_WEBSITE_REGIONS = {
    "us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
    "eu-west-1", "sa-east-1", "us-gov-west-1",
}


class Refused(Exception):
    """A reason to stop; the message is for the person running the command. `partial` when some files
    were already uploaded."""

    partial = False


@dataclass
class Upload:
    key: str
    source: Path
    content_type: str
    cache_control: str


def aws(args, region, endpoint=None):
    command = ["aws", *args, "--region", region, "--output", "json"]
    if endpoint:
        command += ["--endpoint-url", endpoint]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as e:
        raise Refused("the aws cli is not installed (scripts/setup.sh installs it)") from e
    if done.returncode != 0:
        raise Refused(f"aws {' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")
    return json.loads(done.stdout) if done.stdout.strip() else {}


def stack_outputs(stack, region, endpoint):
    answer = aws(["cloudformation", "describe-stacks", "--stack-name", stack], region, endpoint)
    stacks = answer.get("Stacks") or []
    if not stacks:
        raise Refused(f"stack {stack} not found in {region}")
    return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}


def pool_settings(pool_id, region, endpoint):
    """What config.json repeats of the pool's settings (password policy, how users sign in, MFA), or {}
    when the pool cannot be read (the app then assumes Cognito's defaults)."""
    try:
        pool = aws(["cognito-idp", "describe-user-pool", "--user-pool-id", pool_id], region, endpoint)["UserPool"]
    except (Refused, KeyError) as e:
        print(f"note: pool settings not read ({e}); the app assumes Cognito's defaults", file=sys.stderr)
        return {}
    p = pool.get("Policies", {}).get("PasswordPolicy", {})
    settings = {
        "passwordPolicy": {
            "minimumLength": p.get("MinimumLength", 8),
            "requireUppercase": p.get("RequireUppercase", True),
            "requireLowercase": p.get("RequireLowercase", True),
            "requireNumbers": p.get("RequireNumbers", True),
            "requireSymbols": p.get("RequireSymbols", True),
        },
        # Cognito's default is OFF: the app then offers no authenticator app.
        "mfaConfiguration": pool.get("MfaConfiguration", "OFF"),
    }
    for key in ("UsernameAttributes", "AliasAttributes"):
        if pool.get(key):
            settings[key[0].lower() + key[1:]] = pool[key]
    return settings


def website_url(bucket, region):
    separator = "-" if region in DASH_WEBSITE_REGIONS else "."
    return f"http://{bucket}.s3-website{separator}{region}.amazonaws.com"


def origin(url):
    """`https://host[:port]` of a URL, as CSP source lists want it."""
    m = re.match(r"^(https?://[^/?#]+)", url)
    if not m:
        raise Refused(f"{url} is not an http(s) URL")
    return m.group(1)


def production_csp(html, connect_origins):
    """index.html with its Content-Security-Policy's connect-src limited to this site and the given origins
    (the build allows a local sign-in server instead)."""
    sources = " ".join(["'self'", *connect_origins])
    policy = r'(http-equiv="Content-Security-Policy" content="[^"]*?)connect-src [^;"]*'
    rewritten, count = re.subn(policy, lambda m: f"{m.group(1)}connect-src {sources}", html, count=1)
    if count != 1:
        raise Refused("index.html has no Content-Security-Policy with a connect-src to set")
    return rewritten


def plan_uploads(dist, config_file, index_file, connect_origins):
    """Every file of the build with its headers; config.json replaced by ours; index.html last, written to
    `index_file` with its connect-src narrowed to `connect_origins`."""
    if not (dist / "index.html").is_file():
        raise Refused(f"{dist} has no index.html: not a build of the app")
    files = sorted(p for p in dist.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(dist).parts))
    if not any(p.suffix == ".wasm" for p in files):
        raise Refused(f"{dist} has no .wasm file: not a build of the app")
    uploads = []
    for path in files:
        key = path.relative_to(dist).as_posix()
        if key in MUTABLE:
            continue
        content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        uploads.append(Upload(key, path, content_type, IMMUTABLE))
    uploads.append(Upload("config.json", config_file, CONTENT_TYPES[".json"], NO_CACHE))
    index_file.write_text(production_csp((dist / "index.html").read_text(encoding="utf-8"), connect_origins),
                          encoding="utf-8")
    uploads.append(Upload("index.html", index_file, CONTENT_TYPES[".html"], NO_CACHE))
    return uploads


def existing_keys(bucket, region, endpoint):
    answer = aws(["s3api", "list-objects-v2", "--bucket", bucket], region, endpoint)
    return {o["Key"] for o in answer.get("Contents") or []}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/deploy.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", help="CloudFormation stack made from deploy/template.yaml: read everything from its outputs")
    parser.add_argument("--bucket", help="website bucket")
    parser.add_argument("--user-pool-id", help="user pool id, e.g. eu-west-1_AbCdEf123")
    parser.add_argument("--client-id", help="app client id (public client, no secret)")
    parser.add_argument("--region", help="the bucket's region (default: the pool's)")
    parser.add_argument("--dist", type=Path, help="deploy this finished build instead of running trunk build --release")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--s3-endpoint-url", help="S3 endpoint (a local S3-compatible server, for tests)")
    parser.add_argument("--cognito-endpoint-url", help="Cognito endpoint for DescribeUserPool (a local server, for tests)")
    parser.add_argument("--cloudformation-endpoint-url", help=argparse.SUPPRESS)
    parser.add_argument("--app-endpoint", help='write "endpoint" into config.json (the app then calls it instead of AWS)')
    return parser.parse_args(argv)


def resolve_target(args):
    """bucket, pool id, client id, region and site URL from the stack or the arguments, all checked."""
    site = None
    if args.stack:
        if args.bucket or args.user_pool_id or args.client_id:
            raise Refused("give either --stack or --bucket/--user-pool-id/--client-id, not both")
        region = args.region
        if not region:
            raise Refused("--stack needs --region (the stack's region)")
        outputs = stack_outputs(args.stack, region, args.cloudformation_endpoint_url)
        try:
            bucket, pool_id, client_id = outputs["SiteBucket"], outputs["UserPoolId"], outputs["UserPoolClientId"]
        except KeyError as e:
            raise Refused(f"stack {args.stack} has no output {e}: was it made from deploy/template.yaml?") from e
        site = outputs.get("WebsiteURL")
    else:
        missing = [flag for flag, value in (("--bucket", args.bucket), ("--user-pool-id", args.user_pool_id), ("--client-id", args.client_id)) if not value]
        if missing:
            raise Refused(f"missing {', '.join(missing)} (or give --stack)")
        bucket, pool_id, client_id = args.bucket, args.user_pool_id, args.client_id
    match = POOL_ID.match(pool_id)
    if not match:
        raise Refused(f"{pool_id!r} is not a user pool id (like eu-west-1_AbCdEf123)")
    if not CLIENT_ID.match(client_id):
        raise Refused(f"{client_id!r} is not an app client id")
    if not BUCKET.match(bucket) or ".." in bucket:
        raise Refused(f"{bucket!r} is not a valid bucket name")
    pool_region = match.group(1)
    region = args.region or pool_region
    return bucket, pool_id, client_id, pool_region, region, site or website_url(bucket, region)


def build():
    print("building: trunk build --release", flush=True)
    done = subprocess.run(["trunk", "build", "--release", "--locked"], cwd=ROOT, check=False)
    if done.returncode != 0:
        raise Refused("trunk build --release failed")
    return ROOT / "dist"


def deploy(argv):
    args = parse_args(argv)
    bucket, pool_id, client_id, pool_region, region, site = resolve_target(args)
    if args.app_endpoint and not re.match(r"^https?://", args.app_endpoint):
        raise Refused("--app-endpoint must be an http(s) URL")
    dist = args.dist.resolve() if args.dist else None
    if dist is not None and not dist.is_dir():
        raise Refused(f"{args.dist} is not a folder")

    config = {"region": pool_region, "userPoolId": pool_id, "clientId": client_id}
    if args.app_endpoint:
        config["endpoint"] = args.app_endpoint
    config.update(pool_settings(pool_id, pool_region, args.cognito_endpoint_url))

    if dist is None:
        dist = build()
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / "config.json"
        config_file.write_text(json.dumps(config, indent=2) + "\n")
        cognito = config.get("endpoint") or f"https://cognito-idp.{pool_region}.amazonaws.com"
        uploads = plan_uploads(dist, config_file, Path(tmp) / "index.html", [origin(cognito)])
        try:
            existing = existing_keys(bucket, region, args.s3_endpoint_url)
        except Refused as e:
            if not args.dry_run:
                raise
            print(f"note: cannot list s3://{bucket} ({e}); stale files unknown", file=sys.stderr)
            existing = set()
        stale = sorted(existing - {u.key for u in uploads})

        print(f"deploying {dist} to s3://{bucket} ({region}) for pool {pool_id}, client {client_id}")
        for u in uploads:
            print(f"upload  {u.key:<48} {u.content_type:<32} {u.cache_control}")
        for key in stale:
            print(f"delete  {key}")
        if args.dry_run:
            print("dry run: nothing was uploaded or deleted")
            return 0
        for done, u in enumerate(uploads):
            try:
                aws(["s3", "cp", str(u.source), f"s3://{bucket}/{u.key}", "--content-type", u.content_type,
                     "--cache-control", u.cache_control, "--only-show-errors"], region, args.s3_endpoint_url)
            except Refused as e:
                stopped = Refused(f"{e}\n{done} of {len(uploads)} files were uploaded (index.html goes last, so the "
                                  "site still serves the previous build); fix the cause and deploy again")
                stopped.partial = done > 0
                raise stopped from e
        for key in stale:
            aws(["s3", "rm", f"s3://{bucket}/{key}", "--only-show-errors"], region, args.s3_endpoint_url)
    print(f"deployed {len(uploads)} files, removed {len(stale)}")
    print(f"site: {site}")
    return 0


def main():
    try:
        return deploy(sys.argv[1:])
    except Refused as e:
        print(f"deploy: {e}" if e.partial else f"deploy: {e}\nnothing was uploaded", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
