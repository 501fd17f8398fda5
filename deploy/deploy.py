#!/usr/bin/env python3
"""Deploys the app behind CloudFront (the stack of deploy/template.yaml) or to an S3 website, with the aws cli.

    scripts/deploy.sh --stack STACK --region REGION
    scripts/deploy.sh --bucket BUCKET --distribution-id ID --user-pool-id ID --client-id ID [--region REGION]
    scripts/deploy.sh --bucket BUCKET --website --user-pool-id ID --client-id ID [--region REGION]

Builds the release (trunk build --release) unless --dist names a finished build, writes config.json for the
pool (its password policy, MFA configuration and username settings read with DescribeUserPool when the
credentials allow), and uploads: hashed assets with `Cache-Control: public,max-age=31536000,immutable`,
index.html and config.json with `no-cache`, every file with its Content-Type (.wasm as application/wasm);
index.html goes last, then files of earlier deploys that the new build no longer has are removed.

Behind CloudFront the bucket is private: the command first checks that the distribution serves this bucket
and that the bucket's policy lets (only) it read through Origin Access Control, then, after the upload,
invalidates /index.html and /config.json and waits for CloudFront to finish (--no-wait to skip). CloudFront
compresses on the fly. As an S3 website (--website, or a stack with Hosting=S3Website), text and wasm files
are stored gzip-compressed with `Content-Encoding: gzip`, as a website bucket never compresses; such a site
is plain HTTP, and the command says so. --dry-run prints the plan and changes nothing. Bad or missing
arguments stop it before anything is uploaded.
"""

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
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
    content_encoding: str | None = None


@dataclass
class Target:
    """Where the app goes. `distribution_id` is None for an S3 website."""

    bucket: str
    pool_id: str
    client_id: str
    pool_region: str
    region: str
    distribution_id: str | None
    site: str | None


# Types a website bucket should store compressed (a browser always accepts gzip).
COMPRESSIBLE = {".html", ".js", ".mjs", ".wasm", ".css", ".json", ".svg", ".txt", ".webmanifest", ".ico"}
INVALIDATED = ["/index.html", "/config.json"]


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


def describe_pool(pool_id, region, endpoint):
    """The pool as DescribeUserPool tells it, or None when it cannot be read (the app then assumes
    Cognito's defaults and offers no managed login)."""
    try:
        return aws(["cognito-idp", "describe-user-pool", "--user-pool-id", pool_id], region, endpoint)["UserPool"]
    except (Refused, KeyError) as e:
        print(f"note: pool settings not read ({e}); the app assumes Cognito's defaults", file=sys.stderr)
        return None


def pool_settings(pool, pool_id, region, endpoint):
    """What config.json repeats of the pool's settings (password policy, how users sign in, MFA), or {}
    when the pool could not be read."""
    if pool is None:
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
    # Choice-based sign-in (codes by email or SMS, passkeys) needs the pool's first factors; the app
    # client must also allow ALLOW_USER_AUTH.
    factors = pool.get("Policies", {}).get("SignInPolicy", {}).get("AllowedFirstAuthFactors")
    if factors:
        settings["allowedFirstAuthFactors"] = factors
    # The kinds of second step the pool enables (the profile offers those).
    if settings["mfaConfiguration"] != "OFF":
        try:
            mfa = aws(["cognito-idp", "get-user-pool-mfa-config", "--user-pool-id", pool_id], region, endpoint)
        except Refused as e:
            print(f"note: MFA kinds not read ({e}); the profile offers authenticator apps only", file=sys.stderr)
        else:
            kinds = []
            if mfa.get("SoftwareTokenMfaConfiguration", {}).get("Enabled"):
                kinds.append("SOFTWARE_TOKEN_MFA")
            if mfa.get("SmsMfaConfiguration"):
                kinds.append("SMS_MFA")
            if mfa.get("EmailMfaConfiguration"):
                kinds.append("EMAIL_OTP")
            settings["mfaKinds"] = kinds
    return settings


def managed_login_settings(pool, pool_id, client_id, region, endpoint):
    """config.json's "oauth" when the pool has a managed-login domain and the app client may use the
    code flow: the domain, the client's scopes, a button per identity provider it names besides COGNITO
    (the hosted page when it names none). None otherwise."""
    if pool is not None and pool.get("CustomDomain"):
        domain = f"https://{pool['CustomDomain']}"
    elif pool is not None and pool.get("Domain"):
        domain = f"https://{pool['Domain']}.auth.{region}.amazoncognito.com"
    else:
        return None
    try:
        client = aws(["cognito-idp", "describe-user-pool-client", "--user-pool-id", pool_id, "--client-id", client_id],
                     region, endpoint)["UserPoolClient"]
    except (Refused, KeyError) as e:
        print(f"note: managed login settings not read ({e}); the app offers none", file=sys.stderr)
        return None
    if not client.get("AllowedOAuthFlowsUserPoolClient") or "code" not in client.get("AllowedOAuthFlows", []):
        print("note: the pool has a managed-login domain, but the app client does not allow the code flow: "
              "the app offers no managed login", file=sys.stderr)
        return None
    scopes = client.get("AllowedOAuthScopes", [])
    if "aws.cognito.signin.user.admin" not in scopes:
        print("note: the app client does not allow the scope aws.cognito.signin.user.admin: users signed in "
              "through managed login cannot read their profile", file=sys.stderr)
    providers = [p for p in client.get("SupportedIdentityProviders", []) if p != "COGNITO"]
    return {"domain": domain, "scopes": scopes, "providers": providers, "hostedPage": not providers}


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
    `index_file` with its connect-src narrowed to `connect_origins`. `index_file`'s folder also receives the
    compressed copies of `gzip_all`."""
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


def gzip_all(uploads, folder):
    """The website mode's uploads: compressible files replaced by gzip copies in `folder`, marked
    `Content-Encoding: gzip` (reproducible: no name or time in the gzip header)."""
    compressed = []
    for u in uploads:
        if Path(u.key).suffix.lower() not in COMPRESSIBLE:
            compressed.append(u)
            continue
        target = folder / "gzip" / u.key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(u.source.read_bytes(), compresslevel=9, mtime=0))
        compressed.append(Upload(u.key, target, u.content_type, u.cache_control, "gzip"))
    return compressed


def existing_keys(bucket, region, endpoint):
    answer = aws(["s3api", "list-objects-v2", "--bucket", bucket], region, endpoint)
    return {o["Key"] for o in answer.get("Contents") or []}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/deploy.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", help="CloudFormation stack made from deploy/template.yaml: read everything from its outputs")
    parser.add_argument("--bucket", help="the site's bucket")
    parser.add_argument("--distribution-id", help="the CloudFront distribution in front of the bucket")
    parser.add_argument("--website", action="store_true", help="the bucket is an S3 website (plain HTTP, no CloudFront)")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the CloudFront invalidation to finish")
    parser.add_argument("--user-pool-id", help="user pool id, e.g. eu-west-1_AbCdEf123")
    parser.add_argument("--client-id", help="app client id (public client, no secret)")
    parser.add_argument("--region", help="the bucket's region (default: the pool's)")
    parser.add_argument("--dist", type=Path, help="deploy this finished build instead of running trunk build --release")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--s3-endpoint-url", help="S3 endpoint (a local S3-compatible server, for tests)")
    parser.add_argument("--cognito-endpoint-url", help="Cognito endpoint for DescribeUserPool (a local server, for tests)")
    parser.add_argument("--cloudfront-endpoint-url", help=argparse.SUPPRESS)
    parser.add_argument("--cloudformation-endpoint-url", help=argparse.SUPPRESS)
    parser.add_argument("--app-endpoint", help='write "endpoint" into config.json (the app then calls it instead of AWS)')
    return parser.parse_args(argv)


def resolve_target(args):
    """Bucket, pool, client, regions, hosting mode and site URL from the stack or the arguments, all checked."""
    site = None
    distribution_id = args.distribution_id
    website = args.website
    if args.stack:
        if args.bucket or args.user_pool_id or args.client_id or args.distribution_id:
            raise Refused("give either --stack or --bucket/--distribution-id/--user-pool-id/--client-id, not both")
        region = args.region
        if not region:
            raise Refused("--stack needs --region (the stack's region)")
        outputs = stack_outputs(args.stack, region, args.cloudformation_endpoint_url)
        try:
            bucket, pool_id, client_id = outputs["SiteBucket"], outputs["UserPoolId"], outputs["UserPoolClientId"]
        except KeyError as e:
            raise Refused(f"stack {args.stack} has no output {e}: was it made from deploy/template.yaml?") from e
        site = outputs.get("SiteURL") or outputs.get("WebsiteURL")
        stack_website = outputs.get("Hosting", "S3Website" if "WebsiteURL" in outputs else "CloudFront") == "S3Website"
        if website and not stack_website:
            raise Refused(f"stack {args.stack} serves the app through CloudFront from a private bucket: deploy without --website")
        website = stack_website
        if not website:
            distribution_id = outputs.get("DistributionId")
            if not distribution_id:
                raise Refused(f"stack {args.stack} has no output DistributionId: update it with deploy/template.yaml")
    else:
        missing = [flag for flag, value in (("--bucket", args.bucket), ("--user-pool-id", args.user_pool_id), ("--client-id", args.client_id)) if not value]
        if missing:
            raise Refused(f"missing {', '.join(missing)} (or give --stack)")
        if bool(distribution_id) == bool(website):
            raise Refused("say how the site is served: --distribution-id ID (CloudFront, HTTPS) or --website (S3 website, HTTP only)")
        bucket, pool_id, client_id = args.bucket, args.user_pool_id, args.client_id
    match = POOL_ID.match(pool_id)
    if not match:
        raise Refused(f"{pool_id!r} is not a user pool id (like eu-west-1_AbCdEf123)")
    if not CLIENT_ID.match(client_id):
        raise Refused(f"{client_id!r} is not an app client id")
    if not BUCKET.match(bucket) or ".." in bucket:
        raise Refused(f"{bucket!r} is not a valid bucket name")
    if distribution_id and not re.match(r"^[A-Z0-9]{1,32}$", distribution_id):
        raise Refused(f"{distribution_id!r} is not a CloudFront distribution id")
    pool_region = match.group(1)
    region = args.region or pool_region
    if website:
        site = site or website_url(bucket, region)
    return Target(bucket, pool_id, client_id, pool_region, region, None if website else distribution_id, site)


def check_distribution(target, args):
    """Behind CloudFront: the distribution serves this bucket, and the bucket lets that distribution (and
    no one else) read it. Returns the site's address."""
    answer = aws(["cloudfront", "get-distribution", "--id", target.distribution_id], "us-east-1", args.cloudfront_endpoint_url)
    distribution = answer.get("Distribution", {})
    config = distribution.get("DistributionConfig", {})
    origins = [o.get("DomainName", "") for o in config.get("Origins", {}).get("Items", [])]
    if not any(o.startswith(f"{target.bucket}.s3.") for o in origins):
        raise Refused(f"distribution {target.distribution_id} does not serve bucket {target.bucket} (its origins: {', '.join(origins) or 'none'})")
    try:
        policy = json.loads(aws(["s3api", "get-bucket-policy", "--bucket", target.bucket], target.region, args.s3_endpoint_url)["Policy"])
    except (Refused, KeyError) as e:
        raise Refused(f"bucket {target.bucket} has no policy letting CloudFront read it ({e}): create it with deploy/template.yaml") from e
    arn = distribution.get("ARN", "")
    statements = policy.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]

    def principal(st):
        p = st.get("Principal")
        return p if isinstance(p, dict) else {"*": p}

    readers = [
        st for st in statements
        if st.get("Effect") == "Allow"
        and principal(st).get("Service") == "cloudfront.amazonaws.com"
        and (st.get("Condition") or {}).get("StringEquals", {}).get("AWS:SourceArn") == arn
    ]
    if not readers:
        raise Refused(f"the policy of bucket {target.bucket} does not let distribution {target.distribution_id} read it "
                      "(Origin Access Control): CloudFront would answer 403")
    if any(st.get("Effect") == "Allow" and "*" in (principal(st).get("*"), principal(st).get("AWS")) for st in statements):
        raise Refused(f"bucket {target.bucket} is readable by everyone: behind CloudFront it must be private")
    aliases = config.get("Aliases", {}).get("Items") or []
    return target.site or f"https://{aliases[0] if aliases else distribution.get('DomainName')}"


def invalidate(target, args):
    """Asks CloudFront to forget index.html and config.json, then waits for it (with progress)."""
    reference = f"deploy-{int(time.time())}"
    batch = json.dumps({"Paths": {"Quantity": len(INVALIDATED), "Items": INVALIDATED}, "CallerReference": reference})
    answer = aws(["cloudfront", "create-invalidation", "--distribution-id", target.distribution_id,
                  "--invalidation-batch", batch], "us-east-1", args.cloudfront_endpoint_url)
    invalidation = answer.get("Invalidation", {})
    print(f"invalidating {' '.join(INVALIDATED)} on {target.distribution_id} ({invalidation.get('Id')})", flush=True)
    if args.no_wait:
        print("not waiting for it (--no-wait): visitors get the new build within minutes")
        return
    started = time.monotonic()
    status = invalidation.get("Status", "")
    while status.lower() != "completed":
        if time.monotonic() - started > 20 * 60:
            print("the invalidation is still in progress after 20 minutes; visitors get the new build once it ends")
            return
        time.sleep(5)
        status = aws(["cloudfront", "get-invalidation", "--distribution-id", target.distribution_id, "--id",
                      invalidation.get("Id", "")], "us-east-1", args.cloudfront_endpoint_url)["Invalidation"]["Status"]
        print(f"  {status} after {int(time.monotonic() - started)} s", flush=True)
    print(f"invalidation done in {int(time.monotonic() - started)} s")


def build():
    print("building: trunk build --release", flush=True)
    done = subprocess.run(["trunk", "build", "--release", "--locked"], cwd=ROOT, check=False)
    if done.returncode != 0:
        raise Refused("trunk build --release failed")
    return ROOT / "dist"


def deploy(argv):
    args = parse_args(argv)
    target = resolve_target(args)
    if args.app_endpoint and not re.match(r"^https?://", args.app_endpoint):
        raise Refused("--app-endpoint must be an http(s) URL")
    dist = args.dist.resolve() if args.dist else None
    if dist is not None and not dist.is_dir():
        raise Refused(f"{args.dist} is not a folder")
    site = check_distribution(target, args) if target.distribution_id else target.site

    config = {"region": target.pool_region, "userPoolId": target.pool_id, "clientId": target.client_id}
    if args.app_endpoint:
        config["endpoint"] = args.app_endpoint
    pool = describe_pool(target.pool_id, target.pool_region, args.cognito_endpoint_url)
    config.update(pool_settings(pool, target.pool_id, target.pool_region, args.cognito_endpoint_url))
    managed_login = managed_login_settings(pool, target.pool_id, target.client_id, target.pool_region,
                                           args.cognito_endpoint_url)
    if managed_login:
        config["oauth"] = managed_login

    if dist is None:
        dist = build()
    bucket, region = target.bucket, target.region
    with tempfile.TemporaryDirectory() as tmp:
        config_file = Path(tmp) / "config.json"
        config_file.write_text(json.dumps(config, indent=2) + "\n")
        cognito = config.get("endpoint") or f"https://cognito-idp.{target.pool_region}.amazonaws.com"
        # With managed login the app also fetches its token endpoint.
        connect = [origin(cognito)] + ([managed_login["domain"]] if managed_login else [])
        uploads = plan_uploads(dist, config_file, Path(tmp) / "index.html", connect)
        if target.distribution_id is None:
            uploads = gzip_all(uploads, Path(tmp))
        try:
            existing = existing_keys(bucket, region, args.s3_endpoint_url)
        except Refused as e:
            if not args.dry_run:
                raise
            print(f"note: cannot list s3://{bucket} ({e}); stale files unknown", file=sys.stderr)
            existing = set()
        stale = sorted(existing - {u.key for u in uploads})

        how = f"CloudFront {target.distribution_id}" if target.distribution_id else "S3 website"
        print(f"deploying {dist} to s3://{bucket} ({region}, {how}) for pool {target.pool_id}, client {target.client_id}")
        for u in uploads:
            encoding = f"  {u.content_encoding}" if u.content_encoding else ""
            print(f"upload  {u.key:<48} {u.content_type:<32} {u.cache_control}{encoding}")
        for key in stale:
            print(f"delete  {key}")
        if target.distribution_id:
            print(f"then invalidate {' '.join(INVALIDATED)}")
        if args.dry_run:
            print("dry run: nothing was uploaded or deleted")
            return 0
        for done, u in enumerate(uploads):
            command = ["s3", "cp", str(u.source), f"s3://{bucket}/{u.key}", "--content-type", u.content_type,
                       "--cache-control", u.cache_control, "--only-show-errors"]
            if u.content_encoding:
                command += ["--content-encoding", u.content_encoding]
            try:
                aws(command, region, args.s3_endpoint_url)
            except Refused as e:
                stopped = Refused(f"{e}\n{done} of {len(uploads)} files were uploaded (index.html goes last, so the "
                                  "site still serves the previous build); fix the cause and deploy again")
                stopped.partial = done > 0
                raise stopped from e
        for key in stale:
            aws(["s3", "rm", f"s3://{bucket}/{key}", "--only-show-errors"], region, args.s3_endpoint_url)
    print(f"deployed {len(uploads)} files, removed {len(stale)}")
    if target.distribution_id:
        invalidate(target, args)
    else:
        print("warning: an S3 website is plain HTTP: passwords cross the network unencrypted, and browsers turn off "
              "Web Locks, passkeys and crypto.subtle there. Use it to try things out; serve real users through "
              "CloudFront (deploy/template.yaml, Hosting=CloudFront).", file=sys.stderr)
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
