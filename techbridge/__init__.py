"""TechBridge — 南京科技成果转移转化服务平台."""

from .celery import app as celery_app

__all__ = ["celery_app"]
