"""Gunicorn settings: the worker model. The Procfile's and `make run`'s command reads this file.

The command line adds only where and how many (--bind, --workers, --preload); everything about
how a worker serves connections is here, so every way of starting the service runs the same.
docs/operations.md has the measurements behind these choices.
"""

# gevent workers: each connection is a greenlet, so a client that sends its request slowly costs
# a few kB of memory while it waits, not a worker (sync) or a pool thread (gthread). With sync
# workers two such sockets stopped the service; 200 of them do nothing to these (measured with
# bench/slowclients.py). A request itself is CPU-bound and runs to its end without yielding, as
# with sync workers, so per-request work and latency are as before.
worker_class = "gevent"
# Connections one worker holds at once, slow or not; past that, new ones wait in the listen queue.
worker_connections = 1000

# The time a client has to send each request's line and headers, from the connection's opening
# (or the end of the previous answer on a kept-alive connection): the gevent worker reads them
# under a timeout of `keepalive` seconds and closes the connection when it runs out. Must stay
# above 0: with keepalive = 0 the gevent worker reads the first request with no timeout at all.
keepalive = 5

# A worker that does not report to the master for 30 s (a request stuck that long: with gevent,
# one request running without yielding) is killed and replaced; every connection it held is lost.
timeout = 30
# On a restart or a stop (SIGTERM, SIGHUP), a worker stops accepting and finishes the requests it
# is serving, for at most 5 s.
graceful_timeout = 5


# No control socket: its one default path ($HOME/.gunicorn/gunicorn.ctl) would be shared by every
# instance on the machine (two instances behind nginx, the tests' servers); the service is run
# with signals (HUP to reload, TERM to stop), as the Procfile's platforms do.
control_socket_disable = True


def when_ready(server):
    """Index the loaded data, then freeze what the master holds, before the first fork.

    With --preload (every command here uses it) the master holds the app: its per-dataset
    indexes are built here once, and shared by every worker. The loaded data live as long as the
    process: keep the garbage collector from walking them on every full collection, and from
    touching pages shared with the workers after the fork (copy-on-write). Without --preload
    the master holds no app and this only freezes gunicorn's own objects.
    """
    import gc

    if server.cfg.preload_app:
        from leaderboard import warm

        warm(server.app.wsgi())
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    """Warm each worker's chart renderer before it takes requests: a cold start costs ~0.7 s.

    Not in the master: vl-convert's engine runs threads, which do not survive a fork. Under
    gevent it runs here, after the worker's monkey-patching; its threads are native (Rust), so
    the patching does not touch them, and a render blocks its worker while it runs, as any
    CPU-bound request does.
    """
    from leaderboard.chart_views import warm_up

    warm_up()
