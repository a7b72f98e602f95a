#!/usr/bin/env python3
"""The sharded pipeline as one Spark job: shards as tasks, merges in Spark SQL.

  spark-submit [--master URL] scripts/spark_job.py --input DIR --output DIR \\
      [--shards N] [--bin PATH] [--parts DIR] [--repeat-min 3] [--bigram-min 2] \\
      [--threads T] [-- FLAGS FOR hustings run]

Four steps, the same as `make sharded` and the Slurm and Kubernetes recipes:
1. N tasks, task K running `hustings learn --shard K/N` into PARTS/lines;
2. sql/merge_lines.sql in Spark SQL -> PARTS/repeated_lines.parquet;
3. N tasks running `hustings run --shard K/N --repeated-lines ...` into
   PARTS/tables;
4. sql/merge_tables.sql (+ merge_tokens.sql) in Spark SQL -> OUTPUT/<table>.parquet,
   one file per table, swapped in whole.

INPUT, PARTS and OUTPUT must be paths the driver and every executor see alike
(a shared or mounted filesystem), as for the Slurm recipe. The hustings
binary is `--bin` where that path exists on the executor, else the file of
that name shipped with `spark-submit --files`. A shard that fails stops the
job with its exit status and the last lines it printed; Spark retries a
failed task as configured (spark.task.maxFailures), and a retried shard
simply rewrites its own part folder, which hustings replaces atomically.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import hustings_merge as hm  # noqa: E402


def shard_command(binary, step, k, n, args, repeated=None):
    output = pathlib.Path(args.parts) / ("lines" if step == "learn" else "tables")
    cmd = [binary, step, "-q", "--format", "parquet", "--input", args.input, "--output", str(output), "--shard", f"{k}/{n}"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if step == "run":
        cmd += ["--repeat-min", str(args.repeat_min), "--repeated-lines", str(repeated)] + list(args.run_flags)
    return cmd


def run_tasks(sc, step, args, repeated=None):
    """One Spark task per shard, each running the hustings binary; their timings, in shard order."""
    n = args.shards
    binary = args.bin
    commands = {k: shard_command(binary, step, k, n, args, repeated) for k in range(1, n + 1)}

    def task(k):
        from pyspark import SparkFiles

        cmd = list(commands[k])
        if not os.path.exists(cmd[0]):
            shipped = SparkFiles.get(os.path.basename(cmd[0]))
            if not os.path.exists(shipped):
                raise RuntimeError(f"shard {k}/{n}: no hustings binary at {cmd[0]} nor shipped with --files")
            cmd[0] = shipped
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            own = [line for line in lines if line.startswith("hustings:")]  # its one-line errors
            tail = "\n".join((own or lines)[-5:])
            raise RuntimeError(f"shard {k}/{n}: hustings {step} exited with status {proc.returncode}:\n{tail}")
        return k, round(time.monotonic() - start, 2)

    return sc.parallelize(range(1, n + 1), n).map(task).collect()


def task_failure(text):
    """The shard's own message out of the Java exception around a failed task."""
    at = text.find("RuntimeError: shard ")
    if at < 0:
        return text.strip().splitlines()[0] if text.strip() else "Spark job failed"
    kept = []
    for line in text[at + len("RuntimeError: ") :].splitlines():
        if not line.strip() or line.startswith("\tat ") or line.startswith("Traceback") or len(kept) == 6:
            break
        kept.append(line)
    return "\n".join(kept)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--bin", default=str(pathlib.Path(__file__).resolve().parents[1] / "target/release/hustings"))
    ap.add_argument("--parts", help="folder for the shards' part files (default OUTPUT.parts)")
    ap.add_argument("--repeat-min", type=int, default=3)
    ap.add_argument("--bigram-min", type=int, default=2)
    ap.add_argument("--threads", type=int, help="threads per shard (default: hustings' own, all cores)")
    ap.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[3])")
    ap.add_argument("run_flags", nargs=argparse.REMAINDER, help="after --: more flags for `hustings run`")
    args = ap.parse_args()
    if args.run_flags and args.run_flags[0] == "--":
        args.run_flags = args.run_flags[1:]
    if args.shards < 1:
        sys.exit("spark_job: --shards must be at least 1")
    args.input = os.path.abspath(args.input)
    args.output = os.path.abspath(args.output)
    args.parts = os.path.abspath(args.parts or args.output + ".parts")
    if not os.path.isdir(args.input):
        sys.exit(f"spark_job: {args.input}: no such input folder")

    os.environ.setdefault("PYTHONWARNINGS", "ignore::FutureWarning")  # local-mode workers, see spark_session
    spark = hm.spark_session("hustings", args.master)
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    engine = hm.Spark(spark)
    timings = {}
    try:
        shutil.rmtree(args.parts, ignore_errors=True)
        t = time.monotonic()
        run_tasks(sc, "learn", args)
        timings["learn"] = time.monotonic() - t
        t = time.monotonic()
        hm.merge_lines(engine, pathlib.Path(args.parts) / "lines", args.parts, args.repeat_min)
        timings["merge lines"] = time.monotonic() - t
        t = time.monotonic()
        run_tasks(sc, "run", args, repeated=pathlib.Path(args.parts) / "repeated_lines.parquet")
        timings["run"] = time.monotonic() - t
        t = time.monotonic()
        hm.merge_tables(engine, pathlib.Path(args.parts) / "tables", args.output, args.bigram_min)
        timings["merge tables"] = time.monotonic() - t
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        # Printed before the session stops: spark-submit forwards the driver's output only until then.
        print(f"spark_job: {args.shards} shards into {args.output} ({steps})", file=sys.stderr, flush=True)
    except hm.MergeError as e:
        sys.exit(f"spark_job: {e}")
    except Exception as e:  # a failed task: Spark's error carries the shard's own message
        sys.exit("spark_job: " + task_failure(str(e)))
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
