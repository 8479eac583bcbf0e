"""Python client of the AI Flow platform (standard library only).

    import aiflow
    client = aiflow.Client("http://127.0.0.1:8181", username="admin", password="...")
    event = client.events.publish("model.deployed", "v3")

In a job the platform started: ``client = aiflow.Client.from_task_environment()``.
See docs/python-client.md.
"""
from .client import Client
from .errors import (AiflowError, Conflict, Forbidden, InvalidArgument, NotFound, PreconditionFailed, TooLarge,
                     TooManyRequests, Unauthenticated, Unavailable)
from .records import (Artifact, Dataset, Event, Execution, LineageEdge, LogSlice, Metric, MetricValue, Model,
                      ModelVersion, Project, Subscription, TaskContext, TaskExecution, Workflow)

__version__ = "0.1.0"

__all__ = [
    "Client", "AiflowError", "Conflict", "Forbidden", "InvalidArgument", "NotFound", "PreconditionFailed", "TooLarge",
    "TooManyRequests", "Unauthenticated", "Unavailable", "Artifact", "Dataset", "Event", "Execution", "LineageEdge", "LogSlice", "Metric",
    "MetricValue", "Model", "ModelVersion", "Project", "Subscription", "TaskContext", "TaskExecution", "Workflow",
]
