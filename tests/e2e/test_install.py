"""`meson install --destdir` and what it installs: the binary runs the
installed bundled scenarios, the man page renders and lists the same options
as --help for every command, the bash completion offers commands, options,
--color values and scenario paths, and the zsh completion loads.

Installs from the build folder of $WSCHECK (meson install --no-rebuild), once
per module, into a temporary folder.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import ROOT, WSCHECK

BUILD = os.path.dirname(os.path.abspath(WSCHECK))


def sh(argv, timeout=120, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


def help_of(binary, path):
    """(options, subcommands) that `wscheck PATH --help` lists."""
    out = sh([binary, *path, "--help"], timeout=30).stdout
    options, subcommands, section = set(), [], None
    for line in out.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line[:-1]
            continue
        m = re.match(r"^  (\S+)", line)
        if not m:
            continue
        if section == "Options":
            options.update(n for n in m.group(1).split(",") if n.startswith("-"))
        elif section == "Subcommands":
            subcommands.append(m.group(1))
    return options, subcommands


def man_sections(text):
    """Option names per command title in a rendered man page: {"wscheck": ..., "wscheck run": ...}."""
    commands, current, section = {}, None, None
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z ]+$", line):
            section = line.strip()
            current = "wscheck" if section == "OPTIONS" else None
            if current:
                commands[current] = set()
            continue
        if section == "COMMANDS" and re.match(r"^   \S", line):
            current = line.strip()
            commands[current] = set()
            continue
        m = re.match(r"^       (-\S.*)$", line)
        if current and m:
            tag = m.group(1)
            commands[current].update(re.findall(r"(?:^|, )(--?[A-Za-z0-9][\w-]*)", tag))
    return commands


class InstallTest(unittest.TestCase):
    _man_text = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wscheck-install-")
        cls.dest = os.path.join(cls.tmp, "dest")
        r = sh(["meson", "install", "-C", BUILD, "--no-rebuild", "--destdir", cls.dest], timeout=300)
        if r.returncode != 0:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise AssertionError(f"meson install failed:\n{r.stdout}\n{r.stderr}")
        found = glob.glob(os.path.join(cls.dest, "**", "bin", "wscheck"), recursive=True)
        if len(found) != 1:
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise AssertionError(f"expected one installed bin/wscheck, found {found}")
        cls.prefix = os.path.dirname(os.path.dirname(found[0]))
        cls.binary = found[0]
        cls.share = os.path.join(cls.prefix, "share")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def installed(self, *parts):
        path = os.path.join(self.share, *parts)
        self.assertTrue(os.path.isfile(path), f"not installed: {path}")
        return path

    def rendered_man(self):
        if InstallTest._man_text is None:
            InstallTest._man_text = self.render_man()
        return InstallTest._man_text

    def render_man(self):
        env = dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="", LANG="C.UTF-8")
        r = sh(["man", "--no-hyphenation", "--no-justification", "-l", self.installed("man", "man1", "wscheck.1")],
               env=env, timeout=60)
        self.assertEqual(r.returncode, 0, msg=r.stderr)
        # Plain text: no overstrike, and any Unicode minus or hyphen as ASCII.
        text = re.sub(r".\x08", "", r.stdout)
        return text.replace("\u2212", "-").replace("\u2010", "-")

    def complete(self, words, cwd=None):
        """COMPREPLY of the installed bash completion for `words` (the last one is being typed)."""
        script = self.installed("bash-completion", "completions", "wscheck")
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        program = (f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; "
                   "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _wscheck; "
                   "printf '%s\\n' \"${COMPREPLY[@]}\"")
        r = sh(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd, timeout=30)
        self.assertEqual(r.returncode, 0, msg=r.stderr)
        self.assertEqual(r.stderr, "")
        return set(line for line in r.stdout.splitlines() if line)

    def test_installed_files(self):
        repo_scenarios = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "scenarios", "*.json")))
        installed = sorted(os.path.basename(p) for p in glob.glob(os.path.join(self.share, "wscheck", "scenarios", "*.json")))
        self.assertEqual(installed, repo_scenarios)
        for schema in glob.glob(os.path.join(ROOT, "docs", "*.schema.json")):
            path = self.installed("wscheck", "schemas", os.path.basename(schema))
            with open(path, encoding="utf-8") as a, open(schema, encoding="utf-8") as b:
                self.assertEqual(a.read(), b.read())
        zsh = glob.glob(os.path.join(self.share, "zsh", "*", "_wscheck"))
        self.assertEqual(len(zsh), 1, msg=zsh)

    def test_installed_binary_runs_installed_scenarios(self):
        scenarios = os.path.join(self.share, "wscheck", "scenarios")
        r = sh([self.binary, "run", "--color", "never", scenarios], cwd=self.tmp, timeout=120)
        self.assertEqual(r.returncode, 0, msg=r.stdout + r.stderr)
        count = len(glob.glob(os.path.join(scenarios, "*.json")))
        self.assertRegex(r.stdout, rf"\b{count} passed\b")

    def test_man_page_renders(self):
        text = self.rendered_man()
        for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "EXAMPLES"):
            self.assertRegex(text, rf"(?m)^{heading}$")
        self.assertIn("wscheck - run WebSocket conversation scenarios", text)

    def test_man_page_lists_the_options_of_help_for_every_command(self):
        man = man_sections(self.rendered_man())
        pending, seen = [[]], []
        while pending and len(seen) < 100:
            path = pending.pop(0)
            options, subcommands = help_of(self.binary, path)
            title = " ".join(["wscheck", *path])
            seen.append(title)
            with self.subTest(command=title):
                self.assertIn(title, man, msg=f"no man section for {title}; sections: {sorted(man)}")
                self.assertTrue(options, msg=f"{title} --help lists no options")
                self.assertEqual(man[title], options)
            pending += [path + [s] for s in subcommands]
        self.assertEqual(sorted(seen), sorted(man), msg="man sections without a command, or commands without one")
        self.assertGreater(len(seen), 1)

    def test_bash_completion_offers_the_subcommands(self):
        script = self.installed("bash-completion", "completions", "wscheck")
        r = sh(["bash", "--norc", "--noprofile", "-c", f"source '{script}'; complete -p wscheck"], timeout=30)
        self.assertEqual(r.stdout.strip(), "complete -F _wscheck wscheck")
        _, subcommands = help_of(self.binary, [])
        self.assertTrue(subcommands)
        self.assertEqual(self.complete(["wscheck", ""], cwd=self.tmp), set(subcommands))
        self.assertEqual(self.complete(["wscheck", "r"], cwd=self.tmp), {s for s in subcommands if s.startswith("r")})

    def test_bash_completion_offers_options_and_values(self):
        options, _ = help_of(self.binary, ["run"])
        self.assertEqual(self.complete(["wscheck", "run", "--"]), {o for o in options if o.startswith("--")})
        self.assertEqual(self.complete(["wscheck", "run", "--color", ""]), {"auto", "always", "never"})
        self.assertEqual(self.complete(["wscheck", "run", "--color=a"]), {"auto", "always"})
        self.assertEqual(self.complete(["wscheck", "run", "--jobs", ""]), set())  # a number: no guesses
        # An option's value that looks like a command does not switch command.
        self.assertEqual(self.complete(["wscheck", "run", "--name", "wait", "--col"]), {"--color"})

    def test_bash_completion_offers_scenario_paths(self):
        work = os.path.join(self.tmp, "paths")
        os.makedirs(os.path.join(work, "suite"), exist_ok=True)
        for name in ("smoke.json", "notes.txt"):
            open(os.path.join(work, name), "w").close()
        self.assertEqual(self.complete(["wscheck", "run", ""], cwd=work), {"smoke.json", "suite"})
        self.assertEqual(self.complete(["wscheck", "run", "--report-junit", ""], cwd=work),
                         {"smoke.json", "notes.txt", "suite"})

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_completion_parses_and_registers(self):
        path = glob.glob(os.path.join(self.share, "zsh", "*", "_wscheck"))[0]
        r = sh(["zsh", "-n", path], timeout=30)
        self.assertEqual(r.returncode, 0, msg=r.stderr)
        program = (f"fpath=('{os.path.dirname(path)}' $fpath); autoload -U compinit; "
                   f"compinit -u -D; print -r -- $_comps[wscheck]")
        r = sh(["zsh", "-f", "-c", program], cwd=self.tmp, timeout=60)
        self.assertEqual(r.stdout.strip(), "_wscheck", msg=r.stderr)


if __name__ == "__main__":
    unittest.main()
