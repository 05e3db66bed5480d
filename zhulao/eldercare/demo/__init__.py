"""Elder care's demo data, one module per subject: ``loader`` (the step ``load``, registered in ``apps.py``),
``common`` (the moved clock, demo users, light hashing), ``pairings``, ``visits``, ``emergencies``,
``operations``."""

from zhulao.eldercare.demo.loader import load

__all__ = ["load"]
