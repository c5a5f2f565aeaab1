"""
Runs inside a Python 3 process, one per warm function instance. Talks to COS Local over
fd 3 (requests, one JSON object per line) and fd 4 (replies), never over stdout/stderr,
which belong to the user:

  parent -> child  {"type": "invoke", "id", "event", "context", "timeoutMs"}
                   {"type": "setup", "env", "cwd"}  first, to a spare runtime only (see main)
  child -> parent  {"type": "hello", "rss"}
                   {"type": "log", "id", "text", "truncated"?}  one output line
                   {"type": "result", "id", "ok", "valueJson" | "error", "rss", "dropped", "ms"?}
                   (dropped: output lines past the log limit, not sent; ms: the handler's
                   own wall time, from its call to its result)

Environment: SCF_CODE_DIR, SCF_HANDLER (file.method), SCF_LOG_LIMIT (bytes per invocation).
"""
import importlib
import io
import json
import os
import queue
import sys
import threading
import time
import traceback

# Read at start, or, in a spare runtime, once its function's settings arrive (see main).
CODE_DIR = HANDLER = None
LOG_LIMIT = 1024 * 1024


def configure():
    global CODE_DIR, HANDLER, LOG_LIMIT
    CODE_DIR = os.environ.get("SCF_CODE_DIR") or os.getcwd()
    HANDLER = os.environ.get("SCF_HANDLER") or "index.main_handler"
    LOG_LIMIT = int(os.environ.get("SCF_LOG_LIMIT") or 1024 * 1024)


_requests = os.fdopen(3, "r", encoding="utf-8")
_replies = os.fdopen(4, "w", encoding="utf-8")
_send_lock = threading.Lock()
_state = {"current": None, "bytes": 0, "truncated": False, "dropped": 0}


def rss_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except Exception:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def send(message):
    line = json.dumps(message) + "\n"
    with _send_lock:
        try:
            _replies.write(line)
            _replies.flush()
        except (BrokenPipeError, ValueError):
            os._exit(0)


def emit_log(text):
    current = _state["current"]
    message = {"type": "log", "id": current, "text": text}
    if current is not None:
        if _state["truncated"]:
            _state["dropped"] += 1
            return
        _state["bytes"] += len(text.encode("utf-8", "replace")) + 1
        if _state["bytes"] > LOG_LIMIT:
            _state["truncated"] = True
            _state["dropped"] += 1
            message["truncated"] = True
            message["text"] = "[cos-local] log output over %d bytes; the rest of this invocation's output is dropped" % LOG_LIMIT
    send(message)


class LogWriter(io.TextIOBase):
    """Replaces sys.stdout / sys.stderr: every complete line becomes one log entry."""

    def __init__(self, name):
        self.name = name
        self.partial = ""

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        for line in lines:
            emit_log(line)
        return len(text)

    def flush(self):
        if self.partial:
            emit_log(self.partial)
            self.partial = ""


sys.stdout = LogWriter("stdout")
sys.stderr = LogWriter("stderr")

_handler = None


def load_handler():
    global _handler
    if _handler is not None:
        return _handler
    file_part, _, method = HANDLER.rpartition(".")
    if CODE_DIR not in sys.path:
        sys.path.insert(0, CODE_DIR)
    module_name = file_part.replace("/", ".")
    module = importlib.import_module(module_name)
    fn = getattr(module, method, None)
    if not callable(fn):
        raise AttributeError("Handler '%s' is missing on module '%s' (handler %s)" % (method, file_part, HANDLER))
    _handler = fn
    return fn


def describe_error(exc):
    return {
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def encode_value(value):
    if value is None:
        return None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return json.dumps(str(value))


def invoke(message):
    _state["current"] = message["id"]
    _state["bytes"] = 0
    _state["truncated"] = False
    _state["dropped"] = 0
    deadline = time.time() * 1000 + message["timeoutMs"]
    context = dict(message.get("context") or {})
    context["get_remaining_time_in_millis"] = lambda: max(0, int(deadline - time.time() * 1000))
    started = None
    try:
        fn = load_handler()
        started = time.perf_counter()
        value = fn(message["event"], context)
        reply = {"type": "result", "id": message["id"], "ok": True, "valueJson": encode_value(value)}
    except BaseException as exc:  # noqa: BLE001 - user code may raise anything, SystemExit included
        reply = {"type": "result", "id": message["id"], "ok": False, "error": describe_error(exc)}
    if started is not None:
        reply["ms"] = (time.perf_counter() - started) * 1000
    sys.stdout.flush()
    sys.stderr.flush()
    _state["current"] = None
    reply["rss"] = rss_bytes()
    reply["dropped"] = _state["dropped"]
    send(reply)


def read_requests(inbox):
    for line in _requests:
        line = line.strip()
        if line:
            inbox.put(json.loads(line))
    # The parent closed the channel (or died): stop, even in the middle of user code.
    os._exit(0)


def adopt():
    """A spare runtime (COS_LOCAL_SPARE=1, started before any function needed it: spare-runtime.ts)
    waits for the function it is given to: {"type": "setup", "env", "cwd"} replaces its whole
    environment and working folder, then it starts as a runtime started for that function would."""
    for line in _requests:
        if not line.strip():
            continue
        setup = json.loads(line)
        if setup.get("type") != "setup":
            continue
        os.environ.clear()
        os.environ.update(setup["env"])
        os.chdir(setup["cwd"])
        if hasattr(time, "tzset"):
            time.tzset()
        return
    os._exit(0)  # the parent closed the channel first


def main():
    if os.environ.get("COS_LOCAL_SPARE") == "1":
        adopt()
    configure()
    inbox = queue.Queue()
    threading.Thread(target=read_requests, args=(inbox,), daemon=True).start()
    send({"type": "hello", "rss": rss_bytes()})
    while True:
        message = inbox.get()
        if message.get("type") == "invoke":
            invoke(message)


main()
