"""How long the signed plan's PDF takes (issue 11): rendering (WeasyPrint, PDF/UA-1) and sealing
(pyHanko, PAdES) of a plan with 15 signers and 10 agreements, timed apart, with an EC P-256 key
and with an RSA-3072 key. Not a timed test and not part of `make test`; the numbers depend on
the machine. Needs no database: the plan and its signatures are made up in memory, shaped as
signing.pdf.context() gives them.

    .venv/bin/python bench/signing_pdf.py               # 10 rounds
    .venv/bin/python bench/signing_pdf.py --rounds 30

Prints a Markdown table (median and p90 in milliseconds, the PDF's size) for docs/benchmarks.md,
section "Signing: PDF and seal".
"""

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
SIGNERS = 15
AGREEMENTS = 10


def _setup(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings_test")
    os.environ["KRING_VAR_DIR"] = var_dir
    import django

    django.setup()


def _plan_context() -> dict:
    """A plan as a version holds it, with AGREEMENTS agreements and SIGNERS signatures."""
    from kring.conference import content as plan_content
    from kring.signing.pdf import LOCAL_TIME, SignerLine

    names = [f"Deelnemer {n:02d} van der Berg-Jansen" for n in range(1, SIGNERS + 1)]
    agreements = [
        {
            "number": n,
            "what": (
                f"Afspraak {n}: Daan betaalt elke maand twintig euro terug aan Sanne, tot de "
                "nieuwe fiets helemaal is betaald, en hij zegt het als het een keer niet lukt."
            ),
            "who": names[n % SIGNERS],
            "for_whom": names[(n + 1) % SIGNERS],
            "by_when": f"2027-{(n % 12) + 1:02d}-01",
            "how_checked": "Joost kijkt elke maand mee en belt Carla als het niet gaat.",
            "prevents_repeat": n == 1,
        }
        for n in range(1, AGREEMENTS + 1)
    ]
    values = {
        "format": 1,
        "reference": "K-BENC-H001",
        "present": names,
        "on_paper": False,
        "good_outcome": {
            "text": "Dat Daan begrijpt wat het met me deed, en dat het niet meer gebeurt.",
            "by": names[1],
        },
        "ideas": [{"text": f"Idee {n}", "by": names[n]} for n in range(5)],
        "agreements": agreements,
        "evaluation_date": "2027-10-01",
        "if_not_kept": "We praten opnieuw met de coördinator erbij.",
    }
    start = datetime(2026, 6, 3, 17, 5, tzinfo=UTC)
    signers = []
    for n, name in enumerate(names):
        at = start + timedelta(minutes=2 * n)
        signers.append(
            SignerLine(
                typed_name=name,
                recorded_name=name,
                for_minor="",
                signed_at_local=at.astimezone(LOCAL_TIME),
                signed_at_utc=at.strftime("%Y-%m-%d %H:%M:%S"),
                in_person=n % 4 != 3,
                host="Carla de Coördinator",
            )
        )
    version = SimpleNamespace(number=2, content_hash=plan_content.content_hash(values))
    return {
        "version": version,
        "content": values,
        "reference": values["reference"],
        "signers": signers,
        "code": "7KQ4-M2XD-9HBR",
        "finalised_at": start - timedelta(hours=1),
    }


def _ms(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(s * 1000 for s in seconds)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from pypdf import PdfReader

        from kring.signing import pdf, seal

        values = _plan_context()
        page_html = pdf.html(values)
        pdf.render_html(page_html)  # warm-up: fonts and templates loaded once per process

        keys = {}
        for key_type in ("ec", "rsa"):
            path = Path(var_dir) / f"{key_type}.p12"
            path.write_bytes(seal.self_signed_pkcs12("Bench", key_type=key_type, passphrase=b"b"))
            keys[key_type] = seal.load_pkcs12_file(path, b"b")

        render_times, seal_times = [], {"ec": [], "rsa": []}
        made = b""
        for _ in range(args.rounds):
            began = time.perf_counter()
            made = pdf.render_html(page_html)
            render_times.append(time.perf_counter() - began)
            for key_type, signer in keys.items():
                began = time.perf_counter()
                seal.seal(made, signer=signer)
                seal_times[key_type].append(time.perf_counter() - began)
        sealed_sizes = {k: len(seal.seal(made, signer=s)) for k, s in keys.items()}
        pages = len(PdfReader(io.BytesIO(made)).pages)

    render_median, render_p90 = _ms(render_times)
    print(
        f"Signing: PDF and seal, {SIGNERS} signers, {AGREEMENTS} agreements, {pages} pages, "
        f"{args.rounds} rounds; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print()
    print("| Step | Median (ms) | p90 (ms) | PDF size |")
    print("|---|---:|---:|---:|")
    print(
        f"| Render (WeasyPrint, PDF/UA-1) | {render_median:.0f} | {render_p90:.0f} | "
        f"{len(made) / 1024:.0f} KiB |"
    )
    for key_type, label in (("ec", "EC P-256"), ("rsa", "RSA-3072")):
        median, p90 = _ms(seal_times[key_type])
        print(
            f"| Seal (pyHanko PAdES, {label}) | {median:.0f} | {p90:.0f} | "
            f"{sealed_sizes[key_type] / 1024:.0f} KiB |"
        )


if __name__ == "__main__":
    main()
