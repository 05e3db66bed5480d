"""Tests for the pure rules; they run without Django (``pytest -p no:django``)."""
