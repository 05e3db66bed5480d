"""Periodic jobs: each app registers its commands; run_periodic runs them and survives a failing one."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from zhulao.core import periodic


def test_every_registered_job_is_a_command_that_runs(db, policy):
    # given: the jobs the apps registered at start-up
    names = [job.command for job in periodic.PERIODIC_JOBS]
    assert {"escalate_emergencies", "close_notices", "sample_confirmation_calls"} <= set(names)
    # when
    out, err = StringIO(), StringIO()
    call_command("run_periodic", "--once", stdout=out, stderr=err)
    # then: one summary line per job, no failure
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == names
    assert err.getvalue() == ""


def test_a_failing_job_is_reported_and_the_others_still_run(db, policy, monkeypatch):
    # given: a job whose command does not exist, registered first
    jobs = [periodic.PeriodicJob("no_such_command", timedelta(minutes=1), "broken"), *periodic.PERIODIC_JOBS]
    monkeypatch.setattr("zhulao.core.management.commands.run_periodic.PERIODIC_JOBS", jobs)
    # when
    out, err = StringIO(), StringIO()
    call_command("run_periodic", "--once", stdout=out, stderr=err)
    # then
    assert "no_such_command: FAILED" in err.getvalue()
    assert len(out.getvalue().splitlines()) == len(jobs) - 1


def test_registering_a_command_twice_keeps_the_first(monkeypatch):
    jobs: list[periodic.PeriodicJob] = []
    monkeypatch.setattr(periodic, "PERIODIC_JOBS", jobs)
    periodic.register("x", every=timedelta(minutes=1), purpose="first")
    periodic.register("x", every=timedelta(hours=1), purpose="second")
    assert jobs == [periodic.PeriodicJob("x", timedelta(minutes=1), "first")]


def test_list_names_each_job_with_its_interval():
    out = StringIO()
    call_command("run_periodic", "--list", stdout=out)
    assert "escalate_emergencies" in out.getvalue()
    assert "every 0:01:00" in out.getvalue()
