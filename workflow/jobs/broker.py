"""The broker: Dramatiq on Redis. Imported only when a job is sent or a worker starts,
so a web process without a broker never loads it.

Messages carry nothing but a job's id; the Job row says what to do.
"""

from functools import cache

import dramatiq
from dramatiq.brokers.redis import RedisBroker

QUEUE = "workflow"
ACTOR = "run_job"


@cache
def _broker(url: str, namespace: str) -> dramatiq.Broker:
    broker = RedisBroker(url=url, namespace=namespace)
    dramatiq.set_broker(broker)
    return broker


def broker_for(config) -> dramatiq.Broker:
    """The app's broker; installations sharing one Redis keep apart by namespace."""
    return _broker(config["JOB_BROKER_URL"], config["JOB_BROKER_NAMESPACE"])


def send(config, job_id: int, delay: float = 0) -> None:
    message = dramatiq.Message(
        queue_name=QUEUE, actor_name=ACTOR, args=(job_id,), kwargs={}, options={}
    )
    broker_for(config).enqueue(message, delay=int(delay * 1000) or None)


def queue_depth(config) -> int:
    """Messages waiting on the queue (not those delayed for a retry)."""
    broker = broker_for(config)
    return int(broker.client.llen(f"{broker.namespace}:{QUEUE}"))


def ping(config) -> None:
    broker_for(config).client.ping()
