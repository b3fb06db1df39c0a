"""The rule classes of the control-flow family: codes, messages, documentation and examples."""
from __future__ import annotations

from awslint.rule import Rule


class ExceptionSwallowed(Rule):
    """
    ## What it finds

    A handler of a broad exception — a bare `except:`, `except Exception`, `except BaseException`, or a
    tuple holding one of them — or a `with contextlib.suppress(Exception):` block (resolved through
    imports), where every path out of the handler drops the error: no path raises (`raise`, or
    `assert False, "..."`, a test's way to fail on the error), reads the bound
    exception, calls a reporter, returns or yields a value, records something on an object, or sets a
    variable that a later statement of the function reads.

    Reporters are the `logging` module and every logger (a name bound from `logging.getLogger`, and
    `log`/`logger`/`LOG`/`LOGGER` imported from another module), `warnings.warn`, `traceback.print_exc`
    and `format_exc`, `sys.exc_info`, `print(..., file=...)` to `sys.stderr` or a file of the program's
    own (a `print` to stdout is output: it shows no error unless it prints the exception),
    `sentry_sdk.capture_exception`, a function whose name says it reports or fails (`self.fail()`,
    `report_error()`, `showtraceback()`) or pairs an output verb with a logging level (a project's
    own `print_debug()`, `show_info()`), `sys.exit()`, and those the `reporters` option adds; a
    function of the module whose every path raises (`unexpected(token)`, `self._bail(msg)`) raises. A
    handler that logs on one branch of an `if` does not drop the error on every path, and is not
    reported; nor is one that calls again the function that failed (a retry without options; one that passes
    another constant outcome, `cfnresponse.send(..., FAILED, ...)` after `send(..., SUCCESS, ...)`,
    retries nothing); repeating a
    step that cannot fail (`self.buffer.clear()`) retries nothing.

    Not reported: a handler whose body (or `except` line) holds a comment that is not a tool's
    directive such as `# noqa` (the author says why), or a directive followed by a reason after a
    spaced dash, a semicolon or a second `#` (`# pragma: no cover - telemetry must never break the
    caller`), a `with suppress(...)` with such a comment in
    its body, on its header's lines or on the line of its own right above it, handlers in `__del__`,
    in functions registered with `atexit` and in functions named `close`, `cleanup`, `shutdown` or
    `__exit__` (and the like: `teardown`, `disconnect`, `stop`) around a block that only releases
    (`x.close()`, `sock.shutdown()`, also beside a log line that says what it releases) — elsewhere, a handler that drops what a release raised (`try:
    self.sock.shutdown(SHUT_RDWR)` / `except: pass` in `reconnect()`) is reported, while a lone `close()`
    is taken not to raise, as everywhere in the analyses —, and a handler that goes round
    a retry loop that counts its attempts (`for attempt in range(3)`, `while tries < 5`) and leaves it
    on success (a `break`, a `return`, or a flag the loop's test reads: `while not done and tries < 5:`
    … `done = True`). Nor is a fallback: a block that returns on success, after which the handler's path
    goes on (past simple statements, other attempts of the same shape, or the next item of a `for`
    whose body it ends) to return a value, or to raise or report once every attempt failed —
    `try: return json.loads(text)` / `except Exception: pass` / `return {}` is
    `except Exception: return {}` written another way. A block ending a `for` body that returns
    only when the item answers (`if login == wanted: return installation`), with a handler that
    `continue`s, tries each item in turn the same way; so does one that `break`s when the item
    answers, when the loop's `else`, or an `if` after it on the name the attempt sets (`if result:`
    … `else: log.info("no server answered")`), raises or reports once none did. Nor is a block that
    only assigns names whose defaults were set before it and are read after it (`count = 0` / `try:
    count = store.count(key)` / `except Exception: pass` / `return count`): the failure leaves the
    default, as `except Exception: count = 0` would set it; the block may compute them in steps,
    through `if`s and `for` loops (`out = line` / `try: for token in TOKENS: out = re.sub(...)`),
    when its other names are not read after it before they are bound again. Nor is a
    best-effort step on a path that raises next whether it worked or not (gathering a container's
    logs, then `raise RuntimeError(...)` past simple statements): the caller hears of the failure.
    Nor is a handler whose `try` body cannot raise as the shared graph sees it (appends, `os.getpid()`,
    `os.getenv()`, building a `Path`): there is no error to drop; nor one whose every call that may
    raise runs a function of the module that catches every error itself — its body one `try` whose
    broad handler neither raises nor calls what may (`def run(self): try: ... except Exception as e:
    LOG.debug(...)`), with no decorator, not `async`, not a generator —, called by its name, on
    `self`, or on an item of a collection the object keeps (`for job in list(self.jobs): job.run()`)
    or a new object of a class of the module, when every method of that name in the module is such a
    function (a client's `self.apigateway.get_domain_name()` is the client's, whatever the module
    defines), or
    `future.result()` where every `submit(...)` of the function hands the pool one: a keep-alive
    guard no error reaches. Nor is a `try` of a function's own
    body when the function's docstring says it drops the error ("Call _finish, but eat the exception"),
    or says it answers None when it cannot answer ("the version, or None if unable to determine it")
    and the handler gives that None: the author says why, as a comment in the handler would.

    ## Why is this bad?

    A broad handler that drops the error hides every failure of the block behind it — a typo, a
    permission error, a throttled AWS call, `KeyboardInterrupt` under a bare `except:` — and the
    program goes on as if the work was done. Nobody learns why the data is missing. Catch the errors
    you expect, or at least log the exception with its traceback.

    ## Options

    - `reporters` (flake8 `--aws-reporters`, pylint `aws-reporters`, `[tool.awslint]` `reporters`):
      extra functions that report an error, as dotted names (`myapp.errors.report`), or `.method` for a
      method of any receiver (`.notify_failure`).

    ## Where it reports

    At the `except` line (for `contextlib.suppress`, at the `suppress(...)` call), in product and test
    code alike. The message names the block's step most likely to fail: its first call that may fail
    as a handler expects (of a chain, `tar.extractfile(m).read()`, the one that runs first), before
    one that fails only on a programming error (`re.escape()`, `str()`, `getattr(x, name, default)`),
    and an item assignment (`os.environ[str(key)] = value`) or an index (`parts[1]`) before such a
    call.
    """

    code = "AWS501"
    name = "exception-swallowed"
    msgid = "W7351"
    needs = frozenset({"cfg", "model"})
    title = "Broad exception handler drops the error"
    message = (
        "`{handler}` at line {line} drops every error from {source} (line {source_line}) without a trace; "
        "catch the errors you expect, or log the exception"
    )
    INVALID = (
        '''
import boto3

s3 = boto3.client("s3")


def upload(path, bucket):
    try:
        s3.upload_file(path, bucket, path)
    except Exception:  # expect: AWS501
        pass
''',
        '''
from contextlib import suppress


def remove_marker(client, bucket):
    with suppress(Exception):  # expect: AWS501
        client.delete_object(Bucket=bucket, Key="marker")
''',
    )
    VALID = (
        '''
import logging

import boto3

log = logging.getLogger(__name__)
s3 = boto3.client("s3")


def upload(path, bucket, quiet):
    try:
        s3.upload_file(path, bucket, path)
    except Exception:
        if quiet:
            log.debug("upload of %s failed", path, exc_info=True)
        else:
            log.exception("upload of %s failed", path)
''',
        '''
import botocore.exceptions


def remove_marker(client, bucket):
    try:
        client.delete_object(Bucket=bucket, Key="marker")
    except botocore.exceptions.ClientError:
        pass
''',
    )


class ExceptionLostInFinally(Rule):
    """
    ## What it finds

    A `return` in a `finally` block, or a `break`/`continue` there of a loop that encloses the whole
    `try` statement (a loop inside the `finally` block may use them freely).

    ## Why is this bad?

    Leaving a `finally` block by a jump ends the exception in flight: whatever the `try` block raised —
    a failed call, `KeyboardInterrupt`, `SystemExit` — is silently discarded, and the function returns
    or the loop goes on as if nothing happened. Python 3.14 warns about it (PEP 765). Do the cleanup in
    `finally` and jump after the `try` statement.

    ## Options

    None.

    ## Where it reports

    At the `return`, `break` or `continue` statement, in product and test code alike. The message says
    what the jump loses: whatever the `try` raises when it has no handler; past `except Exception`,
    what the handlers or `else` raise and the `BaseException`s it lets through (`KeyboardInterrupt`,
    `asyncio.CancelledError`); past narrower handlers, what they do not catch.

    ## References

    - [PEP 765: disallow return/break/continue that exit a finally block](https://peps.python.org/pep-0765/)
    """

    code = "AWS502"
    name = "exception-lost-in-finally"
    msgid = "W7352"
    needs = frozenset()
    title = "return, break or continue in finally discards the exception"
    message = (
        "`{jump}` at line {line} leaves the `finally` block of the `try` at line {try_line}, so {lost} is "
        "silently discarded; {fix}"
    )
    INVALID = (
        '''
import time


def timed(fn):
    start = time.perf_counter()
    try:
        fn()
    finally:
        return time.perf_counter() - start  # expect: AWS502
''',
    )
    VALID = (
        '''
import time


def timed(fn):
    start = time.perf_counter()
    try:
        fn()
    finally:
        elapsed = time.perf_counter() - start
    return elapsed
''',
    )


class ModifiedWhileIterating(Rule):
    """
    ## What it finds

    Inside `for x in C:` (or over `C.keys()`, `C.values()`, `C.items()` or `enumerate(C)`), where `C`
    is a list, dict or set, a statement that changes the size of `C` on a path that goes back to the
    loop head. A list changes size by `insert`, `remove`, `pop`, `clear`, `del C[i]`, slice
    assignment, `append`, `extend` and `+=`; a dict by `del C[k]`, `pop`, `popitem`, `clear`,
    `update`, `setdefault` and `C[k] = v` for a key that may be new; a set by `add`, `remove`,
    `discard`, `pop`, `clear`, `update`, `|=` and `-=`.

    A list the function builds and seeds itself (`queue = [root]`, `pending = list(seeds)`) and
    iterates to process what it discovers is a worklist: its `extend`, `+=` and an `append` on some
    passes are how it works, and are not reported (an `append` on every pass never ends, and is, as
    is an `extend`/`+=` on every pass of a display that is never empty: `hosts += [host + ".internal"]`).
    A list from the caller (a parameter), an object's attribute or a global is not the loop's to
    grow: every growth of it is reported, and so is every growth of a `collections.deque`, which
    raises like a dict. A `collections.defaultdict` grows when an item is read by a key it may lack
    (`graph[dep].add(...)`), it and a `Counter` when an item is augmented (`counts[k] += 1`): reported
    unless the key is the loop's own or the body tests it with `in` first.

    The kind of `C` is known from how the function (or, for `self.x`, the class) builds it, also by
    calling a function of the module whose every `return` gives a display or comprehension of one
    kind (`tags = tags_from_api(resource)`), from an annotation, or from a method only that kind has (`append`, `discard`); a change through another
    name of the same object counts (`pending = self.pending`), and so does a call of a function of the
    module that changes it itself, one call deep: `_drop(cart, item)` whose body removes from the
    list it is handed, `self._expire(sid)` whose body deletes from the iterated `self.sessions`
    (reported at the call). A container held in another and iterated through it (`payload["items"]`,
    `self.by_region[region]`, by a constant or a name the body leaves alone) is changed through the
    same subscript. Not reported: iterating a copy
    (`list(C)`, `C[:]`, `C.copy()`, `sorted(C)`, a comprehension), `C[k] = v` for the loop's own key of
    a dict, or under an `if` that tests `k in C`, compares `C[k]` or finds `C.get(k)` true (the key
    is there: the size stays), a slice replaced item for item (`C[i:] = [f(x) for x in C[i:]]`), and a change followed
    on every path by `break`, `return` or `raise`. A statement that makes two changes
    (`C[k.lower()] = C.pop(k)`) is reported once, at the change Python makes first.
    `awslint --fix` iterates over a copy (`list(C)`) when `C` is a dict or set, or a list the loop
    only shrinks, and the body assigns no element of it.

    ## Why is this bad?

    A dict or set that changes size while iterated raises `RuntimeError: dictionary changed size
    during iteration` on the next item. A list does not complain: removing skips the item after each
    removed one, inserting repeats items, and appending on every pass never ends.

    A class's own object (`for k in self.keys(): self.discard(k)` in a container class) is left to
    the class: its methods say what they change. A name of no other known kind iterated through
    its views (`for k, v in tags.items():`) is a mapping: it changes size by `pop`, `popitem`,
    `clear`, `del`, `update()` with items and `C[k] = v` for a key that may be new. Left alone
    is a name of no known kind on which the function calls a method no builtin mapping has (`files.get_md5(k)`): an object of a class of its own, whose
    `keys()` may return a list that deleting from the object leaves alone.

    ## Options

    None.

    ## Where it reports

    At the mutating call or statement, in product and test code alike.
    """

    code = "AWS503"
    name = "modified-while-iterating"
    msgid = "W7353"
    needs = frozenset({"cfg", "model"})
    title = "Collection changed in size while iterated"
    message = (
        "`{name}` {change} by {how} at line {line}{via} while the `for` at line {loop} iterates over it; "
        "iterate over a copy (`{copy}`) or build a new {kind}"
    )
    INVALID = (
        '''
def drop_empty(words):
    for word in words:
        if not word.strip():
            words.remove(word)  # expect: AWS503
    return words
''',
        '''
def expire(sessions, now):
    sessions = dict(sessions)
    for key, session in sessions.items():
        if session["expires"] < now:
            del sessions[key]  # expect: AWS503
    return sessions
''',
    )
    VALID = (
        '''
def drop_empty(words):
    return [word for word in words if word.strip()]
''',
        '''
def expire(sessions, now):
    sessions = dict(sessions)
    for key, session in list(sessions.items()):
        if session["expires"] < now:
            del sessions[key]
    for key in sessions:
        sessions[key] = dict(sessions[key], seen=now)
    return sessions
''',
        '''
def take_first_blank(lines):
    for line in lines:
        if not line:
            lines.remove(line)
            break
    return lines
''',
    )


class PreferDefaultdict(Rule):
    """
    ## What it finds

    A dict the function itself creates (`{}`, `dict()`) built up by hand: `d.setdefault(k, [])` (or
    `set()`, `{}`, `0`) followed by a mutation, `if k not in d: d[k] = []` followed by a mutation of
    `d[k]` (a store into it, `d[k][f] = v`, too, and `d[k] = d[k] + n`, which is `d[k] += n` written
    out; also one level down, `d.setdefault(a, {}).setdefault(b, 0)` then `d[a][b] += n`), or `try: d[k] += n` / `except KeyError: d[k] = n`,
    where `n` is a number, a name, the same item on both sides (`row["cost"]`) or the same number a
    builtin makes of one (`float(row["cost"])`; what another function returns may be a string).
    Off by default: select it with `AWS504`.
    The chain `d.setdefault(a, {}).setdefault(b, []).append(v)` builds up `d` too.

    Not reported when the dict is also read in a way a `defaultdict` would change: `d[k]` elsewhere on
    a key that may be absent, or `k in d` outside the idiom; nor when it is bound to an object's
    attribute as it is created (`self.index = index = {}`), where other methods read it; nor when the
    key is a literal (`output.setdefault("RoutingRules", []).append(rule)`): that fills one field of a
    record whose other fields hold other kinds of value, not a grouping by key; nor when the dict is
    turned into text (`str(d)`, `repr(d)`, `print(d)`, `"{}".format(d)`, `"%s" % d`, `f"{d}"`), where
    a `defaultdict` would read `defaultdict(<class 'list'>, {...})`.

    `awslint --fix` creates the dict as `collections.defaultdict(...)` (or `collections.Counter()`),
    turns `d.setdefault(k, [])` into `d[k]` and removes the `if`, the `try`/`except KeyError` (when
    its fallback is what the first pass adds) or a lone `d.setdefault(k, 0)`, adding
    `import collections` when the module lacks it; a dict the function returns is returned as
    `dict(d)`, so that its callers still get a `KeyError` for a missing key (the message says so). A dict with an idiom it cannot rewrite that way,
    or whose lines hold comments, is left as it is.

    ## Why is this bad?

    The hand-written idiom repeats the key and the empty value at every use, and the `if`/`try`
    variants look the key up two or three times. `collections.defaultdict(list)` (or `Counter` for
    counts) says what the dict holds once, where it is created.

    ## Options

    None.

    ## Where it reports

    At the `if` or `try` statement, or the `setdefault` call, in product and test code alike.
    """

    code = "AWS504"
    name = "prefer-defaultdict"
    msgid = "C7354"
    needs = frozenset()
    title = "Dict built up by hand instead of with defaultdict"
    default_enabled = False
    message = "`{name}` is built up with {idiom} at line {line}; create it as `{factory}` and index it directly{tail}"
    INVALID = (
        '''
def group_by_day(events):
    by_day = {}
    for event in events:
        if event["day"] not in by_day:  # expect: AWS504
            by_day[event["day"]] = []
        by_day[event["day"]].append(event["id"])
    return by_day
''',
    )
    VALID = (
        '''
import collections


def group_by_day(events):
    by_day = collections.defaultdict(list)
    for event in events:
        by_day[event["day"]].append(event["id"])
    return by_day
''',
    )
