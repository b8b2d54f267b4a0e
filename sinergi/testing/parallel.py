"""Running one piece of work in many threads at the same moment (the parallel-limit tests)."""

import threading

from django.db import connection


def all_at_once(count, work):
    """Call `work(n)` for n in range(count), each in its own thread (and database connection),
    all released together by a barrier; returns when every thread is done."""
    start = threading.Barrier(count)

    def run(n):
        try:
            start.wait()
            work(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
