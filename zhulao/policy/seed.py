"""The parameter values from the project's policy research, each with its source and status.

Loaded by ``manage.py load_policy`` (idempotent: a row already present with the same key, prefix
and date is left alone). Sections named "§" refer to POLICY.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhulao.regions.data.zhangzhou import COUNTIES, MIN_WAGE_TIER_2022

FUJIAN = "35"
ZHANGZHOU = "3506"

MW_2022 = (
    "福建省人社厅《关于公布我省最低工资标准的通知》(2022-04-01 起), reprint http://m.gxscse.com/ZuiDiGongZi/982924.html"
    " (POLICY §2.1)"
)
MW_2020 = (
    "Inferred from the 2022 notice (+14.59 % average, 6.24 %/year) and the seed's 1720 for Zhangzhou city posts"
    " and 1570 for 漳浦县 in 2020 (人民网福建 2020-08-04) (POLICY §2.1)"
)
SEED = "《“就业扶贫+助老公益”激发村居脱贫内生动力》cfgw.net.cn 2021-10-12 (POLICY §0)"
RETIRE = "全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》and 国发〔2024〕18号, in force 2025-01-01 (POLICY §3)"
RETIRE_OLD = "国发〔1978〕104号: men 60, women workers 50, women cadres 55 (before the 2025 reform)"
FJ_2025 = "闽人社办〔2025〕69号 (2025-06-10), https://rst.fj.gov.cn/zw/zfxxgk/zfxxgkml/zyywgz/jycj/202506/t20250616_6927532.htm (POLICY §1.2)"
FJ_2008 = "闽政〔2008〕18号 as cited by 闽人社办〔2025〕69号 (POLICY §1.2)"
HOLIDAY = "国务院办公厅关于{year}年部分节假日安排的通知 — from background knowledge, not re-checked against the text"

Row = tuple[str, str, date, Any, str, str, str]  # key, prefix, from, value, source, confidence, note

PENSION_2019 = "国办发〔2019〕13号《降低社会保险费率综合方案》(POLICY §2.2)"

# The official document each researched source names, as contracts and notices cite it: title
# (without 《》), number (文号, "" when not confirmed) and the day it took effect. Only documents seen
# in the research (POLICY.md) are listed; a row whose source is not here (news reports, restatements,
# placeholders, every UNCONFIRMED value) cites no document, and papers say "as set on this platform".
DOCUMENTS: dict[str, tuple[str, str, date]] = {
    MW_2022: ("福建省人力资源和社会保障厅关于公布我省最低工资标准的通知", "", date(2022, 4, 1)),
    FJ_2025: (
        "福建省人力资源和社会保障厅办公室关于进一步规范就业困难人员认定有关工作的通知",
        "闽人社办〔2025〕69号",
        date(2025, 6, 10),
    ),
    PENSION_2019: ("降低社会保险费率综合方案", "国办发〔2019〕13号", date(2019, 5, 1)),
    RETIRE: ("全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定", "", date(2025, 1, 1)),
}


def document_for(source: str, confidence: str) -> dict[str, Any]:
    """The ``document_*`` arguments of ``policy.services.parameter_add`` for a seeded row."""
    if confidence == "UNCONFIRMED" or source not in DOCUMENTS:
        return {}
    title, number, day = DOCUMENTS[source]
    return {"document_title": title, "document_number": number, "document_date": day}


def _scheme(tracks: dict[str, tuple[int, int, int]], start: str) -> dict[str, Any]:
    return {
        "reform_start": start,
        "tracks": {
            name: {"original_age_years": a, "months_per_step": n, "max_delay_months": m}
            for name, (a, n, m) in tracks.items()
        },
    }


def _days(*spans: tuple[str, str]) -> list[str]:
    out: list[str] = []
    for first, last in spans:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            out.append(day.isoformat())
            day = date.fromordinal(day.toordinal() + 1)
    return out


CALENDARS: dict[int, tuple[dict[str, list[str]], str]] = {
    2024: (
        {
            "holidays": _days(
                ("2024-01-01", "2024-01-01"),
                ("2024-02-10", "2024-02-17"),
                ("2024-04-04", "2024-04-06"),
                ("2024-05-01", "2024-05-05"),
                ("2024-06-10", "2024-06-10"),
                ("2024-09-15", "2024-09-17"),
                ("2024-10-01", "2024-10-07"),
            ),
            "workdays": [
                "2024-02-04",
                "2024-02-18",
                "2024-04-07",
                "2024-04-28",
                "2024-05-11",
                "2024-09-14",
                "2024-09-29",
                "2024-10-12",
            ],
        },
        "国办发明电〔2023〕7号",
    ),
    2025: (
        {
            "holidays": _days(
                ("2025-01-01", "2025-01-01"),
                ("2025-01-28", "2025-02-04"),
                ("2025-04-04", "2025-04-06"),
                ("2025-05-01", "2025-05-05"),
                ("2025-05-31", "2025-06-02"),
                ("2025-10-01", "2025-10-08"),
            ),
            "workdays": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
        },
        "国办发明电〔2024〕12号",
    ),
    2026: (
        {
            "holidays": _days(
                ("2026-01-01", "2026-01-03"),
                ("2026-02-15", "2026-02-23"),
                ("2026-04-04", "2026-04-06"),
                ("2026-05-01", "2026-05-05"),
                ("2026-06-19", "2026-06-21"),
                ("2026-09-25", "2026-09-27"),
                ("2026-10-01", "2026-10-07"),
            ),
            "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
        },
        "document number not checked",
    ),
}


def rows() -> list[Row]:
    out: list[Row] = [
        (
            "min_wage.monthly_tiers",
            FUJIAN,
            date(2022, 4, 1),
            {"1": "2030", "2": "1960", "3": "1810", "4": "1660"},
            MW_2022,
            "CONFIRMED",
            "",
        ),
        (
            "min_wage.hourly_tiers",
            FUJIAN,
            date(2022, 4, 1),
            {"1": "21", "2": "20.5", "3": "19", "4": "17.5"},
            MW_2022,
            "CONFIRMED",
            "",
        ),
        (
            "min_wage.monthly_tiers",
            FUJIAN,
            date(2020, 1, 1),
            {"1": "1800", "2": "1720", "3": "1570", "4": "1420"},
            MW_2020,
            "INFERRED",
            "Exact start date unconfirmed (about 2020-01-01).",
        ),
        (
            "programme.wage",
            ZHANGZHOU,
            date(2020, 1, 1),
            {"basis": "min_wage_monthly", "override": None},
            SEED,
            "CONFIRMED",
            "Wage = the legal monthly minimum of the work location's tier. Whether county posts were"
            " paid a uniform 1720 in 2020 is unconfirmed: set an override (never below the minimum) if so.",
        ),
        (
            "si.pension",
            "",
            date(2019, 5, 1),
            {"employer": "0.16", "worker": "0.08"},
            PENSION_2019,
            "CONFIRMED",
            "",
        ),
        (
            "si.medical",
            FUJIAN,
            date(2019, 5, 1),
            {"employer": "0.08", "worker": "0.02"},
            "Placeholder: common national range; Fujian rate not found (POLICY §2.2)",
            "UNCONFIRMED",
            "Replace with the Zhangzhou rate before any payment run.",
        ),
        (
            "si.unemployment",
            FUJIAN,
            date(2019, 5, 1),
            {"employer": "0.005", "worker": "0.005"},
            "Placeholder: common national rate; Fujian rate not found (POLICY §2.2)",
            "UNCONFIRMED",
            "Replace with the Zhangzhou rate before any payment run.",
        ),
        (
            "si.work_injury",
            FUJIAN,
            date(2019, 5, 1),
            {"employer": "0.002", "worker": "0"},
            "人社部发〔2015〕71号 class 1 base rate; the class for 养老服务 posts is unconfirmed (POLICY §2.2)",
            "UNCONFIRMED",
            "Employer only; not subsidised (Fuzhou rule).",
        ),
        (
            "placement.max_period_months",
            "",
            date(2020, 1, 1),
            36,
            SEED + "; 荆门 restatement (POLICY §1.4)",
            "CONFIRMED",
            "",
        ),
        (
            "placement.max_count",
            "",
            date(2020, 1, 1),
            2,
            SEED + "; 荆门 restatement (POLICY §1.4)",
            "CONFIRMED",
            "Second placement only for older, zero-employment or severely disabled job-seekers.",
        ),
        (
            "placement.near_retirement_years",
            "",
            date(2020, 1, 1),
            5,
            "荆门 restatement (POLICY §1.4)",
            "CONFIRMED",
            "Measured at the first approval (初次核定).",
        ),
        (
            "recruitment.notice_period",
            ZHANGZHOU,
            date(2020, 1, 1),
            {"days": 5, "unit": "working_day"},
            "No national or Fujian figure found; local practice 3–7 days (POLICY §1.5)",
            "UNCONFIRMED",
            "To be set by the client.",
        ),
        (
            "recruitment.notice_public_retention_days",
            ZHANGZHOU,
            date(2020, 1, 1),
            30,
            "No official figure found for how long a closed 公示 stays public; PIPL 第十九条 (kept for the shortest time the purpose needs) and SECURITY item 25 (names published only for the notice)",
            "UNCONFIRMED",
            "Platform's reading: 30 calendar days after the last day cover the hire (from the day after the notice) and the contract filing; after that the public sees only the counts and the archive hash. To be set by the client.",
        ),
        (
            "eldercare.visit_rules",
            ZHANGZHOU,
            date(2020, 1, 1),
            {
                "left_behind": {"visits": 1, "period": "month"},
                "widowed_childless": {"visits": 1, "period": "month"},
                "empty_nest": {"visits": 1, "period": "month"},
            },
            SEED + " (monthly visits to 留守/孤寡/空巢) (POLICY §6.3)",
            "CONFIRMED",
            "",
        ),
        (
            "facility.post_quota",
            ZHANGZHOU,
            date(2020, 1, 1),
            {"service_center": 2, "home_care_station": 1, "happiness_home": 1},
            SEED + " (POLICY §7)",
            "CONFIRMED",
            "",
        ),
        (
            "retirement.scheme",
            "",
            date(1978, 6, 2),
            _scheme({"male": (60, 1, 0), "female50": (50, 1, 0), "female55": (55, 1, 0)}, "1978-06-02"),
            RETIRE_OLD,
            "CONFIRMED",
            "No delay before the 2025 reform.",
        ),
        (
            "retirement.scheme",
            "",
            date(2025, 1, 1),
            _scheme({"male": (60, 4, 36), "female50": (50, 2, 60), "female55": (55, 4, 36)}, "2025-01-01"),
            RETIRE,
            "CONFIRMED",
            "",
        ),
        (
            "eligibility.working_age_min",
            "",
            date(1995, 1, 1),
            16,
            "《劳动法》第十五条 (not re-verified, POLICY §3)",
            "INFERRED",
            "",
        ),
        (
            "eligibility.urban_older_age",
            FUJIAN,
            date(2025, 6, 10),
            {"male": 50, "female": 40},
            FJ_2025,
            "CONFIRMED",
            "",
        ),
        (
            "eligibility.urban_older_age",
            FUJIAN,
            date(2008, 1, 1),
            {"male": 50, "female": 40},
            FJ_2008,
            "INFERRED",
            "Assumed unchanged before the 2025 notice.",
        ),
        (
            "eligibility.rural_family_planning_age",
            ZHANGZHOU,
            date(2008, 1, 1),
            {"male": 40, "female": 30},
            "漳州开发区 restatement http://cmzdrc.com/news_show_id_2285.html (POLICY §1.2)",
            "CONFIRMED",
            "",
        ),
        (
            "eligibility.long_unemployed_years",
            FUJIAN,
            date(2008, 1, 1),
            1,
            FJ_2025,
            "CONFIRMED",
            "Continuous registered unemployment, urban residents.",
        ),
        (
            "recruitment.local_placement",
            ZHANGZHOU,
            date(2020, 1, 1),
            "township",
            SEED + " (属地就近)",
            "INFERRED",
            "The seed says placement is local (属地就近); the township level is this platform's reading of it.",
        ),
        (
            "eldercare.group_mapping",
            ZHANGZHOU,
            date(2020, 1, 1),
            {
                "托底": ["tekun", "dibao"],
                "困境": ["dibao_edge", "disabled_care", "severely_disabled", "fp_special"],
                "重点保障": [
                    "advanced_age",
                    "living_alone",
                    "empty_nest",
                    "left_behind",
                    "widowed_childless",
                    "entitled",
                ],
            },
            "POLICY §6.2: a reasonable mapping of the seed's three groups; official definitions not found",
            "UNCONFIRMED",
            "Let the client confirm the mapping.",
        ),
        (
            "eldercare.advanced_age",
            ZHANGZHOU,
            date(2020, 1, 1),
            80,
            "POLICY §6.2: 80周岁以上 in several Fujian programmes (龙文区 used 75+ for home care from 2020-01)",
            "CONFIRMED",
            "",
        ),
        (
            "capability.adjustments",
            "",
            date(2022, 12, 30),
            {"risk_event_threshold": 2, "risk_window_days": 30, "stack_raises": True},
            "GB/T 42195-2022 as restated (POLICY §6.4); whether the two raises stack is unconfirmed",
            "UNCONFIRMED",
            "Stacking assumed; the level is capped at 4.",
        ),
        (
            "capability.validity_months",
            "",
            date(2022, 12, 30),
            12,
            "POLICY §6.4: a code comment claims re-assessment every 12 months",
            "UNCONFIRMED",
            "",
        ),
        (
            "emergency.escalation",
            ZHANGZHOU,
            date(2020, 1, 1),
            {"helper": 30, "village": 60, "township": 120},
            "No official figure found; the seed asks for emergency-rescue tasks with a chain of who was told (S16)",
            "UNCONFIRMED",
            "Minutes each level has to acknowledge before the next level is alerted. To be set by the client.",
        ),
        (
            "emergency.followup_hours",
            ZHANGZHOU,
            date(2020, 1, 1),
            24,
            "内蒙古 2022 tiering: a visit within 24 h after a major incident (POLICY §6.3)",
            "INFERRED",
            "",
        ),
        (
            "confirmation.calls_per_township",
            ZHANGZHOU,
            date(2020, 1, 1),
            5,
            "Platform choice: a random sample of visits per township and month is checked by phone",
            "UNCONFIRMED",
            "",
        ),
        (
            "confirmation.link_days",
            ZHANGZHOU,
            date(2020, 1, 1),
            7,
            "Platform choice: a family confirmation link is valid for a week",
            "UNCONFIRMED",
            "",
        ),
        (
            "people.default_female_track",
            "",
            date(2025, 1, 1),
            "female50",
            "POLICY §3: the 50/55 category cannot be derived from the ID; default worker track with an override",
            "UNCONFIRMED",
            "Which track applies to female public-welfare post holders in Fujian is unconfirmed.",
        ),
    ]
    for county_code, _name in COUNTIES:
        tier = MIN_WAGE_TIER_2022[county_code[:6]]
        out.append(("min_wage.tier", county_code[:6], date(2022, 4, 1), tier, MW_2022, "CONFIRMED", ""))
        out.append(
            (
                "min_wage.tier",
                county_code[:6],
                date(2020, 1, 1),
                tier,
                MW_2020,
                "INFERRED",
                "2020 mapping assumed equal to 2022's.",
            )
        )
    for year, (calendar, number) in CALENDARS.items():
        out.append(
            (
                f"calendar.{year}",
                "",
                date(year, 1, 1),
                calendar,
                HOLIDAY.format(year=year) + f" ({number})",
                "UNCONFIRMED",
                "Check against the State Council notice before relying on it.",
            )
        )
    return out
