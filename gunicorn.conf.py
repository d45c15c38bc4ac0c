"""Gunicorn settings read from the working directory (the Procfile's flags come on top)."""


def post_worker_init(worker):
    """Warm each worker's chart renderer before it takes requests: a cold start costs ~0.7 s.

    Not in the master: vl-convert's engine runs threads, which do not survive a fork.
    """
    from leaderboard.chart_views import warm_up

    warm_up()
