"""cogsync-lua side by side with Debian's lua5.4, the reference it must behave as.

Each case runs under both interpreters, called by name from PATH as a user would, and compares stdout,
stderr and the exit status; a failure shows both. Before comparing, the program's own name becomes `lua`,
the version banner `<banner>` and addresses `0x?`. Otherwise the only differences allowed are the features
the README's command-line section lists, and each is named where a case allows it.

The REPL is compared twice: on a pseudo-terminal, where both read lines with readline and the whole terminal
transcript (echo, redisplay, history) must match, and on a pipe, where cogsync-lua reads plain lines while
lua5.4's readline echoes each line it reads, which the comparison takes out.
"""

import os
import pty
import re
import select
import shutil
import signal
import subprocess

import pytest

from lua.processes import wait_for, wait_until_busy, wait_until_polling
from testkit import binary


LUA = "lua5.4"
OURS = "cogsync-lua"
BANNER_RE = re.compile(r"^(Lua 5\.4\.\d+  Copyright \(C\) 1994-\d+ Lua\.org, PUC-Rio|cogsync-lua \S+ \(Lua 5\.4\.\d+, "
                       r"libcurl [\d.]+\))(\r?)$", re.M)


@pytest.fixture(scope="module")
def env():
    """The environment of both: no LUA_ or AWS_ settings, and cogsync-lua's folder on PATH."""
    assert shutil.which(LUA), "lua5.4 is missing: scripts/setup installs it"
    folder = os.path.dirname(str(binary(OURS)))
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("LUA_", "AWS_"))}
    clean["PATH"] = folder + os.pathsep + clean.get("PATH", "")
    return clean


def normalise(text, program):
    text = BANNER_RE.sub(r"<banner>\2", text)
    text = text.replace(program, "lua")
    return re.sub(r"0x[0-9a-f]+", "0x?", text)


def run(program, args, cwd, env, stdin=None):
    done = subprocess.run([program, *args], input=stdin, capture_output=True, text=True, errors="replace",
                          cwd=cwd, env=env, timeout=120)
    return done.returncode, normalise(done.stdout, program), normalise(done.stderr, program)


def side_by_side(reference, ours):
    def show(name, outcome):
        status, out, err = outcome
        return f"--- {name}: exit {status}\n[stdout]\n{out}[stderr]\n{err}"
    return "\n" + show(LUA, reference) + "\n" + show(OURS, ours)


def compare(tmp_path, env, args, stdin=None, files=None, extra_env=None, ours_only=lambda outcome: outcome):
    """Runs `program *args` under both in tmp_path and asserts the same outcome. `ours_only` takes out of
    cogsync-lua's outcome a difference the README lists."""
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    full_env = dict(env, **(extra_env or {}))
    reference = run(LUA, args, tmp_path, full_env, stdin)
    ours = ours_only(run(OURS, args, tmp_path, full_env, stdin))
    assert ours == reference, side_by_side(reference, ours)
    return reference


# ---- the main chunk is the main coroutine ----------------------------------------------------------------

MAIN_COROUTINE = r"""
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable(), coroutine.isyieldable(main))
print(coroutine.status(main), coroutine.status(coroutine.running()))
print(pcall(coroutine.yield))
print(pcall(coroutine.yield, 1, 2))
print(pcall(coroutine.close, main))
print(coroutine.resume(main))
print(pcall(function() return coroutine.running() == main, coroutine.isyieldable() end))
print(select("#", coroutine.running()))
print(debug.traceback("at the top"))
local info = debug.getinfo(2, "S")
print(info.what, info.short_src, debug.getinfo(3))
print(pcall(error))
print(pcall(error, "level two", 2))
"""

INSIDE_COROUTINES = r"""
local main = coroutine.running()
local co = coroutine.create(function(a, b)
  print("in", a, b, coroutine.isyieldable(), select(2, coroutine.running()))
  print("main is", coroutine.status(main), "self is", coroutine.status(coroutine.running()))
  local c = coroutine.yield(a + b)
  local ok, d = pcall(coroutine.yield, c * 2)
  print("through pcall", ok, d)
  return "done", d
end)
print(coroutine.status(co), coroutine.isyieldable(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.isyieldable(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "last"))
print(coroutine.status(co), coroutine.resume(co))
print(coroutine.close(co), coroutine.status(co))

local gen = coroutine.wrap(function(n) for i = 1, n do coroutine.yield(i, i * i) end return "end" end)
print(gen(3)); print(gen()); print(gen()); print(gen()); print(pcall(gen))

local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() coroutine.yield("inner") error("from inner") end)
  coroutine.yield(inner())
  inner()
end)
print(outer())
print(pcall(outer))

print(pcall(coroutine.resume, 42))
print(pcall(coroutine.wrap, 42))
print(pcall(coroutine.status))
print(pcall(coroutine.isyieldable, "x"))

local nested = coroutine.create(function()
  local other = coroutine.create(function() return coroutine.status(nested) end)
  return coroutine.resume(other)
end)
print(coroutine.resume(nested))
"""

WRAP_ERRORS = r"""
local function closer(name)
  return setmetatable({}, { __close = function(_, err) print("closed " .. name, err) end })
end
local f = coroutine.wrap(function()
  local x <close> = closer("x")
  local y <close> = closer("y")
  error("boom")
end)
print(pcall(f))
print(pcall(f))

local failed
local g = coroutine.wrap(function() failed = coroutine.running(); error({ code = 7 }) end)
local ok, e = pcall(g)
print(ok, type(e), e.code)
print(debug.traceback(failed))
print(debug.traceback(failed, "message"))
print(coroutine.status(failed), coroutine.close(failed))

local co = coroutine.create(function()
  local z <close> = closer("z")
  local function deeper() error("kept") end
  deeper()
end)
print(coroutine.resume(co))
print(debug.traceback(co))
print(debug.traceback(co, "with message", 1))
print(coroutine.status(co))
print(coroutine.close(co))
print(coroutine.close(co))

local suspended = coroutine.create(function()
  local w <close> = closer("w")
  coroutine.yield()
end)
coroutine.resume(suspended)
print(coroutine.close(suspended), coroutine.status(suspended))

local bad_close = coroutine.create(function()
  local v <close> = setmetatable({}, { __close = function() error("in __close") end })
  coroutine.yield()
end)
coroutine.resume(bad_close)
print(coroutine.close(bad_close))

local h = coroutine.wrap(function() local q <close> = closer("q"); error("wrapped") end)
h()
"""


@pytest.mark.parametrize("script", [MAIN_COROUTINE, INSIDE_COROUTINES, WRAP_ERRORS],
                         ids=["main-chunk", "inside-coroutines", "wrap-errors"])
def test_coroutines(tmp_path, env, script):
    compare(tmp_path, env, ["script.lua"], files={"script.lua": script})


def test_the_main_chunk_is_still_a_task_whose_calls_park_it(tmp_path, env):
    # cogsync-lua alone: lua5.4 has nothing that parks.
    (tmp_path / "tasks.lua").write_text(r"""
local cognitosync = require("cognitosync")
local main = coroutine.running()
local order = {}
local task = cognitosync.spawn(function()
  order[#order + 1] = "task"
  return coroutine.running() == main, coroutine.isyieldable()
end)
cognitosync.sleep(0.01)  -- parks the main chunk: the task runs meanwhile
order[#order + 1] = "main"
print(table.concat(order, " "), task:wait())
print(coroutine.running() == main, coroutine.isyieldable(), pcall(coroutine.yield))

-- A call inside the script's coroutine parks the task that resumed it, and the coroutine gets the result.
local gen = coroutine.wrap(function()
  cognitosync.sleep(0)
  coroutine.yield(coroutine.isyieldable(), coroutine.status(main))
  return "after"
end)
print(gen())
print(gen())

-- While its call is in flight, such a coroutine is resuming, not suspended, to every other task.
local co = coroutine.create(function() cognitosync.sleep(0.05) return "slept" end)
local runner = cognitosync.spawn(function() return coroutine.resume(co) end)
cognitosync.sleep(0)  -- the runner starts the coroutine, which parks on its sleep; this sleep ends first
print(coroutine.status(co), coroutine.resume(co))
print(pcall(coroutine.close, co))
print(runner:wait())
print(coroutine.status(co))
""")
    status, out, err = run(OURS, ["tasks.lua"], tmp_path, env)
    assert (status, err) == (0, ""), err
    assert out == ("task main\ttrue\ttrue\tfalse\n"
                   "true\tfalse\tfalse\tattempt to yield from outside a coroutine\n"
                   "true\tnormal\n"
                   "after\n"
                   "normal\tfalse\tcannot resume non-suspended coroutine\n"
                   "false\tcannot close a normal coroutine\n"
                   "true\ttrue\tslept\n"
                   "dead\n"), out


@pytest.mark.parametrize("code", [
    "coroutine.yield()",
    "coroutine.yield(1, 2, 3)",
    "local co = coroutine.wrap(function() error('in wrap') end)\nco()",
    "local co = coroutine.wrap(function() end)\nco()\nco()",
    "local t = setmetatable({}, {__index = function() coroutine.yield() end})\nprint(t.x)",
    "table.sort({3, 2, 1}, function(a, b) coroutine.yield() end)",
], ids=["bare-yield", "yield-values", "wrap-error", "wrap-dead", "yield-in-metamethod", "yield-in-sort"])
def test_yield_outside_a_coroutine_and_wrap_failures_end_the_script(tmp_path, env, code):
    status, _, _ = compare(tmp_path, env, ["script.lua"], files={"script.lua": code + "\n"})
    assert status == 1


# ---- errors and tracebacks ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "local function inner() error('kaput') end\nlocal function outer() inner() end\nouter()",
    "local function f(n) if n == 0 then error('deep') end f(n - 1) end\nf(40)",
    "local t = nil\nprint(t.x)",
    "error()",
    "error(42)",
    "error({})",
    "error('no position', 0)",
    "error('caller position', 2)",
    "local x <close> = 4",
    "print(('x'):rep(-1, {}))",
    "os.exit(3)",
    "os.exit(false)",
    "os.exit(true)",
    "io.write('unflushed'); os.exit(4, true)",
], ids=["nested", "deep", "index-nil", "nil", "number", "table", "level-0", "level-2", "not-closable",
        "bad-argument", "exit-3", "exit-false", "exit-true", "exit-close"])
def test_script_errors_and_exits(tmp_path, env, code):
    compare(tmp_path, env, ["script.lua"], files={"script.lua": code + "\n"})


def without_traceback(outcome):
    """An error object with __tostring gets a traceback in cogsync-lua (the README lists it), none in lua."""
    status, out, err = outcome
    return status, out, err.split("\nstack traceback:")[0] + "\n"


def test_error_object_with_tostring(tmp_path, env):
    raise_it = "error(setmetatable({}, {__tostring = function() return 'described' end}))\n"
    status, _, err = compare(tmp_path, env, ["script.lua"], files={"script.lua": raise_it}, ours_only=without_traceback)
    assert (status, err) == (1, "lua: described\n")
    status, _, err = run(OURS, ["script.lua"], tmp_path, env)
    assert err.startswith("lua: described\nstack traceback:\n\t[C]: in function 'error'\n"), err


def test_syntax_error_and_missing_script(tmp_path, env):
    compare(tmp_path, env, ["bad.lua"], files={"bad.lua": "print('never')\nlocal = 5\n"})
    compare(tmp_path, env, ["missing.lua"])


# ---- the command line ----------------------------------------------------------------------------------------

PATHS = "print(package.path)\nprint(package.cpath)\n"


@pytest.mark.parametrize("settings", [
    {},
    {"LUA_PATH": "x"},
    {"LUA_PATH": "a/?.lua;;b/?.lua", "LUA_CPATH": "c/?.so;;"},
    {"LUA_PATH_5_4": "v54/?.lua;;", "LUA_PATH": "plain/?.lua", "LUA_CPATH_5_4": ";;v54/?.so", "LUA_CPATH": "p/?.so"},
], ids=["defaults", "lua-path", "double-semicolon", "versioned-first"])
def test_package_path_and_cpath_from_the_environment(tmp_path, env, settings):
    compare(tmp_path, env, ["sub/paths.lua"], files={"sub/paths.lua": PATHS}, extra_env=settings)
    compare(tmp_path, env, ["-E", "sub/paths.lua"], extra_env=settings)
    compare(tmp_path, env, ["-e", PATHS], extra_env=settings)


def test_arguments_are_read_from_arg_when_the_script_starts(tmp_path, env):
    compare(tmp_path, env, ["-e", "arg[1] = 100", "-"], stdin="print(...)\n")
    compare(tmp_path, env, ["-e", "arg[2] = 'b'; arg[4] = 'gap'", "script.lua", "a"],
            files={"script.lua": "print(select('#', ...), ...)\n"})
    compare(tmp_path, env, ["-e", "arg = setmetatable({}, {__len = function() return 2 end})", "script.lua", "a"])
    status, _, _ = compare(tmp_path, env, ["-e", "arg = 1", "-"], stdin="print('not reached')\n")
    assert status == 1


def test_the_arg_table(tmp_path, env):
    show = "for i = -3, #arg do io.write(tostring(arg[i]), ' ') end print('|', ...)\n"
    compare(tmp_path, env, ["-e", show])
    compare(tmp_path, env, ["-e", "x = 1", "script.lua", "a", "b c", "-x"], files={"script.lua": show})
    compare(tmp_path, env, ["-"], stdin=show)
    compare(tmp_path, env, ["-", "p", "q"], stdin=show)
    compare(tmp_path, env, [], stdin=show)
    compare(tmp_path, env, ["--", "-"], files={"-": "print('a file named -')\n" + show})


def test_e_l_and_W_in_order(tmp_path, env):
    compare(tmp_path, env, ["-e", "x = 1", "-e", "print(x + 1)"])
    compare(tmp_path, env, ["-l", "string", "-e", "print(string.rep('ab', 2))"])
    compare(tmp_path, env, ["-lmymod", "-e", "print(mymod.name)"], files={"mymod.lua": "return {name = 'mine'}\n"})
    compare(tmp_path, env, ["-l", "g=mymod", "-e", "print(g.name, mymod)"])
    compare(tmp_path, env, ["-l", "no_such_module_here"])
    compare(tmp_path, env, ["-l", "failing"], files={"failing.lua": "error('while loading')\n"})
    compare(tmp_path, env, ["-e", "warn('before')", "-W", "-e", "warn('after')", "-e", "warn('@off')",
                            "-e", "warn('off again')"])
    compare(tmp_path, env, ["-e", "x = = 1"])


STRICT_NEWINDEX = "setmetatable(_G, {__newindex = function(_, k) error('assignment to undeclared global ' .. k, 2) end})"
STRICT_INDEX = "setmetatable(_G, {__index = function(_, k) error('undeclared global ' .. k, 2) end})"


def test_globals_read_and_set_by_the_interpreter_under_a_strict_globals_table(tmp_path, env):
    """The interpreter's own global accesses (-l's require and its result, _PROMPT) run _G's metamethods, whose
    errors end the run as lua5.4's do instead of escaping into the host."""
    status, _, err = compare(tmp_path, env, ["-e", STRICT_NEWINDEX, "-l", "mymod", "-e", "print('not reached')"],
                             files={"mymod.lua": "return {name = 'mine'}\n"})
    assert status == 1 and "assignment to undeclared global mymod" in err
    status, _, err = compare(tmp_path, env, ["-e", "require = nil " + STRICT_INDEX, "-l", "mymod"])
    assert status == 1 and "undeclared global require" in err
    status, _, err = compare(tmp_path, env, ["-e", STRICT_INDEX, "-i"], stdin="")
    assert status == 1 and "undeclared global _PROMPT" in err


def test_lua_init(tmp_path, env):
    compare(tmp_path, env, ["-e", "print(v)"], extra_env={"LUA_INIT": "v = 'plain'"})
    compare(tmp_path, env, ["-e", "print(v)"], extra_env={"LUA_INIT": "v = 'plain'", "LUA_INIT_5_4": "v = 'versioned'"})
    compare(tmp_path, env, ["-e", "print(v)"], files={"init.lua": "v = 'file'\n"}, extra_env={"LUA_INIT": "@init.lua"})
    compare(tmp_path, env, ["-e", "print('not reached')"], extra_env={"LUA_INIT_5_4": "error('init failed')"})
    compare(tmp_path, env, ["-E", "-e", "print(v)"], extra_env={"LUA_INIT": "v = 'ignored'"})


def without_client_options(outcome):
    """The usage text goes on with the client options (--region, --local, --stats ...), which lua has not."""
    status, out, err = outcome
    return status, out, err.split("Client options")[0]


@pytest.mark.parametrize("args", [["-z"], ["-e"], ["-l"], ["-ix"], ["-e", "-v"], ["--x"]],
                         ids=["unknown", "e-without", "l-without", "i-with-extra", "e-then-option", "double-dash"])
def test_bad_options_print_lua_usage(tmp_path, env, args):
    compare(tmp_path, env, args, ours_only=without_client_options)


def test_version_and_interactive_banners(tmp_path, env):
    compare(tmp_path, env, ["-v"])
    compare(tmp_path, env, ["-v", "-e", "print('after')"])
    compare(tmp_path, env, ["-i", "script.lua"], stdin="", files={"script.lua": "print('script ran')\n"})
    compare(tmp_path, env, ["-i", "failing.lua"], stdin="print('no REPL')\n", files={"failing.lua": "error('x')\n"})


# ---- the REPL on a pipe ----------------------------------------------------------------------------------------

def without_echo(out, lines):
    """lua5.4's output on a pipe without its readline echo: each line and a newline, right after a prompt, so
    never at the start of a line of output."""
    at = 0
    for line in lines:
        at = out.find(line + "\n", at)
        while at > 0 and out[at - 1] == "\n":
            at = out.find(line + "\n", at + 1)
        assert at > 0, f"lua5.4 did not echo {line!r}:\n{out}"
        out = out[:at] + out[at + len(line) + 1:]
    return out


def repl_on_a_pipe(tmp_path, env, lines, args=("-i",), end="\n"):
    """Compares the REPL fed `lines` (none empty) on a pipe."""
    stdin = "\n".join(lines) + end
    status, out, err = run(LUA, list(args), tmp_path, env, stdin)
    reference = (status, without_echo(out, lines), err)
    ours = run(OURS, list(args), tmp_path, env, stdin)
    assert ours == reference, side_by_side(reference, ours)


def test_repl_statements_expressions_and_errors(tmp_path, env):
    repl_on_a_pipe(tmp_path, env, [
        "x = 41", "x + 1", "print('hi')", "return 'a', 2", "=x * 2", "  ", "return",
        "for i = 1, 2 do", "  print('loop', i)", "end",
        "error('oops')", "error({})",
        "local y <close> = 4", "nil + 1", "x = = 2", "local t = {} t.x.y = 1",
        "y = ", "5", "y * 2", "select('#', nil, nil)", "(nil)",
    ])


def test_repl_prompts(tmp_path, env):
    repl_on_a_pipe(tmp_path, env, ["_PROMPT = 'P1 '", "_PROMPT2 = 42", "if true then", "end",
                                   "_PROMPT = setmetatable({}, {__tostring = function() return 'meta ' end})",
                                   "_PROMPT2 = false", "z =", "3", "_PROMPT = nil", "_PROMPT2 = nil", "z"])
    repl_on_a_pipe(tmp_path, env, ["print(1)"], args=("-e", "_PROMPT = 'E> '", "-i"))


def test_repl_print_replaced(tmp_path, env):
    repl_on_a_pipe(tmp_path, env, ["print = nil", "1 + 1", "print = function(...) io.write('[', select('#', ...), ']\\n') end",
                                   "1, nil, 3", "print = function() error('in print') end", "2", "print = error", "{}"])


def test_repl_input_ends_inside_a_statement(tmp_path, env):
    repl_on_a_pipe(tmp_path, env, ["x ="], end="")
    repl_on_a_pipe(tmp_path, env, ["_PROMPT2 = 'more '", "if x then"], end="")


def test_repl_failing_prompt_ends_the_interpreter(tmp_path, env):
    status, _, err = compare(tmp_path, env, [
        "-e", "_PROMPT = setmetatable({}, {__tostring = function() error('bad prompt') end})", "-i"], stdin="")
    assert status == 1 and "bad prompt" in err


def test_repl_on_a_pipe_goes_on_after_ctrl_c(tmp_path, env):
    lines = ["while true do end", "print(1 + 1)"]
    outcomes = []
    for program in (LUA, OURS):
        process = subprocess.Popen([program, "-i"], cwd=tmp_path, env=env, text=True, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            process.stdin.write(lines[0] + "\n")
            process.stdin.flush()
            wait_until_busy(process.pid)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(lines[1] + "\n", timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        out = normalise(out, program)
        outcomes.append((process.returncode, without_echo(out, lines) if program == LUA else out,
                         normalise(err, program)))
    assert outcomes[1] == outcomes[0], side_by_side(*outcomes)
    assert outcomes[0][1].endswith("> 2\n> \n") and outcomes[0][2].startswith("interrupted!\n")


def test_stdin_that_is_not_a_terminal_runs_as_a_script(tmp_path, env):
    compare(tmp_path, env, [], stdin="print('from stdin', ...)\nerror('and fails')\n")


# ---- the REPL on a terminal ------------------------------------------------------------------------------------

class Terminal:
    """A program on a pseudo-terminal: `expect` waits for text it writes, `send` types keys. The lines typed
    never hold the prompt waited for next, so the echo of a line cannot pass for the prompt after it."""

    def __init__(self, program, args, cwd, env):
        self.program = program
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.chdir(cwd)
                # As a shell starts a foreground job: a test run started in the background ignores SIGINT, and
                # readline leaves an ignored SIGINT ignored, so Ctrl-C at the prompt would do nothing.
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                # No ~/.inputrc: readline's defaults for both.
                os.execvpe(program, [program, *args], dict(env, TERM="xterm", INPUTRC="/dev/null"))
            finally:
                os._exit(127)
        self.output = b""
        self.seen = 0
        self.status = None

    def _read(self):
        """Reads what is there (waiting up to a second); False once the program has closed the terminal."""
        ready, _, _ = select.select([self.fd], [], [], 1)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO: the program has ended
            return False
        self.output += data
        return bool(data)

    def expect(self, text):
        wanted = text.encode()

        def arrived():
            if wanted not in self.output[self.seen:] and not self._read():
                pytest.fail(f"{self.program} ended before writing {text!r}:\n{self.transcript()}")
            return wanted in self.output[self.seen:]

        wait_for(arrived, f"{self.program} to write {text!r}")
        self.seen = self.output.index(wanted, self.seen) + len(wanted)

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def finish(self):
        """Reads to the end; returns the exit status (minus the signal when one ended it)."""
        wait_for(lambda: not self._read(), f"{self.program} to end")
        _, status = os.waitpid(self.pid, 0)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def close(self):
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)

    def transcript(self):
        return normalise(self.output.decode(errors="replace"), self.program)


def terminal_session(tmp_path, env, steps, args=()):
    """Runs `steps(terminal)` under both and compares the transcripts and exit statuses."""
    outcomes = []
    for program in (LUA, OURS):
        terminal = Terminal(program, list(args), tmp_path, env)
        try:
            steps(terminal)
            outcomes.append((terminal.finish(), "", terminal.transcript()))
        finally:
            terminal.close()
    assert outcomes[1] == outcomes[0], side_by_side(*outcomes)
    return outcomes[0]


def test_terminal_line_editing_history_and_prompts(tmp_path, env):
    def steps(t):
        t.expect("> ")
        t.send("x = 40\r")
        t.expect("> ")
        t.send("_PROMPT = 'lua' .. '% '; _PROMPT2 = 'more' .. '% '\r")
        t.expect("lua% ")
        t.send("x + 2\r")
        t.expect("lua% ")
        t.send("if x then\r")
        t.expect("more% ")
        t.send("print('x is', x)\r")
        t.expect("more% ")
        t.send("end\r")
        t.expect("lua% ")
        # Up once: the whole if statement, as one history entry.
        t.send("\x1b[A\r")
        t.expect("lua% ")
        # Up three times: "x + 2"; then edit it: to the start (Ctrl-A), insert, to the end (Ctrl-E), append.
        t.send("\x1b[A\x1b[A\x1b[A\x01" "10 * \x05 + 1\r")
        t.expect("lua% ")
        # Left arrow and backspace in the middle of a line.
        t.send("x + 99\x1b[D\x1b[D\x7f3\r")
        t.expect("lua% ")
        t.send("\r")
        t.expect("lua% ")
        t.send("\x04")

    status, _, transcript = terminal_session(tmp_path, env, steps)
    assert status == 0
    assert "x is\t40" in transcript and "403" in transcript and "439" in transcript, transcript


def test_terminal_ctrl_c_interrupts_the_running_statement(tmp_path, env):
    def steps(t):
        t.expect("> ")
        t.send("n = 0\r")
        t.expect("> ")
        t.send("while true do n = n + 1 end\r")
        wait_until_busy(t.pid)
        t.send("\x03")
        t.expect("> ")
        t.send("print(n >= 1)\r")
        t.expect("> ")
        t.send("ok, e = pcall(function() while true do end end)\r")
        wait_until_busy(t.pid)
        t.send("\x03")
        t.expect("> ")
        t.send("ok, e\r")
        t.expect("> ")
        t.send("\x04")

    status, _, transcript = terminal_session(tmp_path, env, steps)
    assert status == 0
    assert "stdin:1: in main chunk" in transcript and "false\tinterrupted!" in transcript, transcript


def test_terminal_ctrl_c_at_the_prompt_ends_the_process(tmp_path, env):
    def steps(t):
        t.expect("> ")
        t.send("\x03")

    status, _, _ = terminal_session(tmp_path, env, steps)
    assert status == -signal.SIGINT


def test_terminal_ctrl_c_while_a_statement_waits_returns_to_the_prompt(tmp_path, env):
    # lua5.4 has nothing that parks; cogsync-lua alone.
    t = Terminal(OURS, [], tmp_path, env)
    try:
        t.expect("> ")
        t.send("print('wait' .. 'ing') require('cognitosync').sleep(600)\r")
        t.expect("waiting")
        wait_until_polling(t.pid)
        t.send("\x03")
        t.expect("interrupted!")
        t.expect("> ")
        t.send("print(20 + 22)\r")
        t.expect("42")
        t.expect("> ")
        t.send("\x04")
        assert t.finish() == 0
    finally:
        t.close()
    assert "in function 'cognitosync.sleep'" in t.transcript(), t.transcript()


# ---- Ctrl-C in a script ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "while true do end",
    "print(pcall(function() while true do end end))\nprint('after')",
    "local function spin() while true do end end\nspin()",
], ids=["main-chunk", "caught-by-pcall", "in-a-function"])
def test_ctrl_c_in_a_busy_script(tmp_path, env, code):
    (tmp_path / "busy.lua").write_text(code + "\n")
    outcomes = []
    for program in (LUA, OURS):
        process = subprocess.Popen([program, "busy.lua"], cwd=tmp_path, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_until_busy(process.pid)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        outcomes.append((process.returncode, normalise(out, program), normalise(err, program)))
    assert outcomes[1] == outcomes[0], side_by_side(*outcomes)
