"""Pelican plugin that builds the multilingual policy site."""

from .registration import register

__all__ = ["register"]
