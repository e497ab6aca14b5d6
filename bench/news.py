"""News extraction: documents per second per core with Russian NER off and on, natasha's full
pipeline on the same documents as a baseline, and peak memory, on a generated corpus.

    bench/run news                       # 2,000 documents (natasha's full pipeline: 300)
    .venv/bin/python bench/news.py --n 500 --n-natasha 100

Throughput is CPU time (time.process_time) of one process, so a busy shared machine does not
move it much. Each phase runs in its own process so that its peak memory is its own; models
are loaded and the caches warmed on a separate warm-up set first (not measured), because a
long-running ingest pays that once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric, peak_rss_mb, run_in_child  # noqa: E402

# Per core: numpy's BLAS would spread NER over every core (and CPU time would count spinning)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

WARMUP = 30


def corpus(n: int, seed: int) -> list[tuple[str, str]]:
    from recruitwatch.samples.news import generate_news_texts

    return list(generate_news_texts(n, seed=seed))


def extract_phase(n: int, ner: bool, queue: mp.Queue) -> None:
    from recruitwatch.extract import extract_document
    from recruitwatch.extract import ner as ner_mod
    from recruitwatch.models import Document

    ner_mod.set_enabled(ner)
    for name, text in corpus(WARMUP, seed=99):
        extract_document(Document(name, text))
    docs = corpus(n, seed=5)
    started, events = time.process_time(), 0
    for name, text in docs:
        # the generator's templates repeat sentences across documents, which real news does
        # not: NER's sentence cache must not make NER look cheaper than it is
        ner_mod.clear_cache()
        events += len(extract_document(Document(name, text)))
    queue.put((time.process_time() - started, events, peak_rss_mb()))


def natasha_phase(n: int, queue: mp.Queue) -> None:
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    segmenter, morph, syntax, ner = Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)

    def run(text: str) -> int:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        return len(doc.spans)

    for _, text in corpus(WARMUP, seed=99):
        run(text)
    docs = corpus(n, seed=5)
    started, spans = time.process_time(), 0
    for _, text in docs:
        spans += run(text)
    queue.put((time.process_time() - started, spans, peak_rss_mb()))


def main() -> None:
    n = arg("n", 2000)
    for label, ner in (("ner_off", False), ("ner_on", True)):
        seconds, events, peak = run_in_child(extract_phase, n, ner)
        metric(f"news_extract_{label}_docs_per_s_per_core", n / seconds, "1/s")
        metric(f"news_extract_{label}_events", events, "events")
        metric(f"news_extract_{label}_peak_mb", peak, "MB")
    n_natasha = arg("n-natasha", min(n, 300))  # about 12 documents/s: a sample is enough
    seconds, spans, peak = run_in_child(natasha_phase, n_natasha)
    metric("news_natasha_full_docs_per_s_per_core", n_natasha / seconds, "1/s")
    metric("news_natasha_full_spans", spans, "spans")
    metric("news_natasha_full_peak_mb", peak, "MB")


if __name__ == "__main__":
    main()
