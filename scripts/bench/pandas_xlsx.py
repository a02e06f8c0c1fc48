"""The peer for the XLSX step: pandas read_excel (openpyxl) of the same file, then the 20 task
columns melted into task rows, as the app's import does. Prints `BENCH_RESULT <json>` like
scripts/bench/native.ts; peak memory is this process's maxrss."""
import json, resource, sys, time

def main():
    path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1
    import pandas as pd
    samples = []
    counts = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        df = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        sheet = next(iter(df.values()))
        tasks = [c for c in sheet.columns if str(c).startswith("балл за ")]
        long = sheet.melt(id_vars=["логин школы", "код обучающегося"], value_vars=tasks, var_name="task", value_name="score")
        samples.append((time.perf_counter() - t0) * 1000)
        counts = {"results": int(len(sheet)), "tasks": int(len(long))}
    samples_sorted = sorted(samples)
    mid = len(samples_sorted) // 2
    median = samples_sorted[mid] if len(samples_sorted) % 2 else (samples_sorted[mid - 1] + samples_sorted[mid]) / 2
    out = {"task": "pandas-xlsx", "runs": runs, "ms": median, "samples": samples, "counts": counts,
           "pandas": pd.__version__, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print("BENCH_RESULT " + json.dumps(out))

if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # the bench reports it instead of failing the run
        print("BENCH_RESULT " + json.dumps({"error": str(e)}))
