"""`copydesk`: run it all (`up`), run one part (`api`, `relay`, `projector`, `worker`,
`blog-scheduler`, `autosync`), create organizations, and look after projections."""

import argparse
import asyncio
import dataclasses
import signal
import sys
from uuid import UUID

from adapters.embedded import EmbeddedServers
from adapters.logging import configure_logging
from adapters.settings import Settings
from projections.migrate import migrate
from projections.registry import all_projections
from workers import admin
from workers.runtime import ProcessGroup, resolve_settings, run_until_signal


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copydesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("up", "run everything; embedded PostgreSQL and NATS unless URLs are set"),
                       ("api", "serve the HTTP API")]:
        p = sub.add_parser(name, help=text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        if name == "api":
            p.add_argument("--workers", type=int, default=1)
    sub.add_parser("relay", help="publish the event log to NATS JetStream")
    projector = sub.add_parser("projector", help="keep the read models up to date")
    projector.add_argument("--only", default=None, metavar="NAME,…",
                           help="run only these projections (default: COPYDESK_PROJECTIONS,"
                                " else every one)")
    sub.add_parser("worker", help="run background jobs")
    sub.add_parser("blog-scheduler", help="publish scheduled blog posts when they fall due")
    sub.add_parser("autosync", help="queue a store sync for each item approved where the"
                                    " store connection has auto-sync on")
    sub.add_parser("migrate", help="apply migrations and exit")
    org = sub.add_parser("org", help="organizations").add_subparsers(dest="org_command",
                                                                      required=True)
    create = org.add_parser("create", help="create an organization and its first admin")
    create.add_argument("--name", required=True)
    create.add_argument("--admin-email", required=True)
    create.add_argument("--admin-password", required=True)
    proj = sub.add_parser("projections", help="read models").add_subparsers(
        dest="projections_command", required=True)
    proj.add_parser("status", help="position and lag of each projection")
    rebuild = proj.add_parser("rebuild", help="rebuild read models from the event store, in one"
                                              " pass over it")
    rebuild.add_argument("names", nargs="+", metavar="NAME", help="a projection, or 'all'")
    proj.add_parser("parked", help="events a projection could not apply and passed over")
    retry = proj.add_parser("retry", help="after a fix: rebuild a read model, re-applying its"
                                          " parked events, and list those still parked")
    retry.add_argument("name")
    search = sub.add_parser("search", help="the search index").add_subparsers(
        dest="search_command", required=True)
    search.add_parser("backfill", help="embed now every product and page the index is"
                                       " missing, with progress")
    jobs = sub.add_parser("jobs", help="background jobs").add_subparsers(dest="jobs_command",
                                                                        required=True)
    watch = jobs.add_parser("watch", help="show a job's progress until it ends")
    watch.add_argument("job_id", type=UUID)
    listing = jobs.add_parser("list", help="a project's most recent jobs")
    listing.add_argument("--project", type=UUID, required=True)
    listing.add_argument("--status", default=None)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    if args.command == "up":
        up(dataclasses.replace(settings, host=args.host, port=args.port))
        return
    settings = resolve_settings(settings)
    projections = all_projections()
    if args.command == "api":
        from workers.serve import serve_api

        asyncio.run(migrate(settings.database_url, projections))
        serve_api(settings, args.host, args.port, args.workers)
    elif args.command == "relay":
        from workers.relay import run_relay

        asyncio.run(migrate(settings.database_url, projections))
        run_until_signal(lambda stop: run_relay(settings, stop))
    elif args.command == "projector":
        from workers.projector import run_projectors

        names = settings.projections if args.only is None else args.only
        chosen = admin.chosen_projections(projections, names)
        asyncio.run(migrate(settings.database_url, projections))
        run_until_signal(lambda stop: run_projectors(settings, chosen, stop))
    elif args.command == "worker":
        from commands.jobs.kinds import load_kinds
        from workers.housekeeping import run_worker

        kinds = load_kinds(settings)
        asyncio.run(migrate(settings.database_url, projections))
        run_until_signal(lambda stop: run_worker(settings, kinds, stop))
    elif args.command == "blog-scheduler":
        from workers.blog.scheduler import run_blog_scheduler

        asyncio.run(migrate(settings.database_url, projections))
        run_until_signal(lambda stop: run_blog_scheduler(settings, stop))
    elif args.command == "autosync":
        from workers.stores.autosync import run_store_autosync

        asyncio.run(migrate(settings.database_url, projections))
        run_until_signal(lambda stop: run_store_autosync(settings, stop))
    elif args.command == "migrate":
        asyncio.run(migrate(settings.database_url, projections))
    elif args.command == "org":
        asyncio.run(migrate(settings.database_url, projections))
        org_id = admin.create_organization(settings, args.name, args.admin_email,
                                           args.admin_password)
        print(f"organization {org_id} created; admin {args.admin_email}")
    elif args.command == "search":
        from workers.backfill import backfill

        sys.exit(1 if asyncio.run(backfill(settings, _write, tty=sys.stdout.isatty())) else 0)
    elif args.command == "jobs":
        from workers.job_watch import list_jobs, watch_job

        if args.jobs_command == "watch":
            sys.exit(watch_job(settings, args.job_id, _write))
        for line in list_jobs(settings, args.project, args.status):
            print(line)
    elif args.command == "projections":
        if args.projections_command == "status":
            for line in asyncio.run(admin.projection_status(settings, projections)):
                print(line)
        elif args.projections_command == "parked":
            for line in asyncio.run(admin.parked_events(settings)):
                print(line)
        else:
            names = args.names if args.projections_command == "rebuild" else [args.name]
            asyncio.run(admin.rebuild_projections(settings, projections, names))
            if args.projections_command == "retry":
                for line in asyncio.run(admin.parked_events(settings)):
                    print(line)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def up(settings: Settings) -> None:
    servers = None
    if not (settings.database_url and settings.nats_url):
        servers = EmbeddedServers(settings.home).start()
        settings = dataclasses.replace(
            settings, database_url=settings.database_url or servers.database_url,
            nats_url=settings.nats_url or servers.nats_url)
    settings = settings.with_secret_key()
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    group = ProcessGroup(settings, [["api", "--host", settings.host, "--port", str(settings.port)],
                                    ["relay"], ["projector"], ["worker"],
                                    ["blog-scheduler"], ["autosync"]])
    try:
        asyncio.run(migrate(settings.database_url, all_projections()))
        demo = admin.ensure_demo_organization(settings) if settings.demo_org else None
        group.start()
        url = f"http://{settings.host}:{settings.port}"
        print(f"copydesk is running at {url}\n  API docs: {url}/api/docs\n"
              f"  data: {settings.home.resolve()}")
        if demo:
            print(f"  log in: POST {url}/api/v1/auth/login with "
                  f'{{"email": "{demo[0]}", "password": "{demo[1]}"}}')
        print("Press Ctrl-C to stop.", flush=True)
        group.supervise(lambda: stopping)
    finally:
        group.stop()
        if servers is not None:
            servers.stop()
        print("copydesk stopped.", file=sys.stderr)


if __name__ == "__main__":
    main()
