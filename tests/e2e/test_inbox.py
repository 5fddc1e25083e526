"""The connection inbox (selective receive) and expect's count / until,
against the reference server (`wscheck serve`): a `user_message` makes it send
five events in order: agent_started, agent_thinking, tool_executing,
tool_completed, agent_completed.

- A message an expect skipped used to be lost; it now stays in the inbox and a
  later step consumes it, even after the connection closed.
- expect_silence fails only on arrivals during its window, not on messages that
  were already unconsumed.
- count / until: the stream passes, an early terminator fails at once (exit 1,
  well before the step's timeout) naming what arrived, and an extra item fails.
- A timeout never says the application did not send a message that arrived: it
  names the step that consumed it.
"""
import unittest

from e2e_util import ESTABLISHED, ScenarioTest, connect, run_bounded
from harness import reference_server

SEND = {"send": {"json": {"type": "user_message", "content": "hi"}}}
AGENT_EVENT = {"json": {"type": {"$regex": "^(agent|tool)_"}}}
COMPLETED = {"json": {"type": "agent_completed"}}


def typed(t):
    return {"expect": {"json": {"type": t}}, "timeout_ms": 3000}


class Inbox(ScenarioTest):
    @classmethod
    def setUpClass(cls):
        cls.server = reference_server()
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def run_scenario(self, path, timeout=30):
        return run_bounded(self, "run", "--no-preflight", "--url", self.server.url(), path, timeout=timeout)

    def test_a_skipped_message_is_consumed_by_a_later_step_even_after_close(self):
        path, _ = self.write("selective receive", [
            connect(), ESTABLISHED, SEND,
            typed("agent_completed"),        # skips the four before it: they stay
            typed("agent_started"),          # taken from the inbox
            {"expect_silence": {"ms": 200}},  # three unconsumed messages do not break it
            {"expect": {"json": {"type": "tool_executing"}}, "strict": True},  # not the oldest: fails if strict
        ])
        r = self.run_scenario(path)
        self.assertFailure(r, "selective receive", "mismatch", "the next message does not match (strict)",
                           "agent_thinking", step=7, fname="selective_receive.json")
        path, _ = self.write("after close", [
            connect(), ESTABLISHED, SEND, typed("agent_completed"),
            {"close": {"code": 1000}},
            typed("tool_completed"), typed("agent_thinking"),
            {"expect": {"json": {"type": "agent_started"}}, "strict": True},
            {"expect": {"json": {"type": "tool_executing"}}, "strict": True},
        ])
        r = self.run_scenario(path)
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))

    def test_count_until_passes_and_an_early_terminator_fails_at_once(self):
        path, _ = self.write("stream", [
            connect(), ESTABLISHED, SEND,
            {"expect": AGENT_EVENT, "count": 4, "until": COMPLETED, "timeout_ms": 3000,
             "capture": {"last": "/type"}},
            {"send": {"json": {"type": "echo", "last": "${last}"}}},
            {"expect": {"json": {"type": "echo_response", "last": "tool_completed"}}, "strict": True},
        ])
        r = self.run_scenario(path)
        self.assertEqual(r.rc, 0, msg=repr(r))
        path, fname = self.write("early end", [
            connect(), ESTABLISHED, SEND,
            {"expect": AGENT_EVENT, "count": 5, "until": COMPLETED, "timeout_ms": 20000},
        ])
        r = self.run_scenario(path)
        self.assertFailure(r, "early end", "mismatch",
                           'the stream ended after 4 of 5 messages matching {"type":{"$regex":"^(agent|tool)_"}}: '
                           '{"data":{"result":"done"},"run_id":"run-',
                           step=4, fname=fname)
        self.assertLess(r.elapsed, 15, msg=f"an early terminator must fail at once, not at the 20 s timeout\n{r!r}")

    def test_an_extra_item_fails_and_a_timeout_names_the_step_that_consumed_the_message(self):
        path, fname = self.write("extra", [
            connect(), ESTABLISHED, SEND, typed("agent_completed"),
            {"expect": AGENT_EVENT, "count": 3},
        ])
        r = self.run_scenario(path)
        self.assertFailure(r, "extra", "mismatch",
                           'expected exactly 3 messages matching {"type":{"$regex":"^(agent|tool)_"}}, 4 arrived',
                           step=5, fname=fname)
        path, fname = self.write("taken before", [
            connect(), ESTABLISHED, SEND, typed("agent_started"),
            {"expect": {"json": {"type": "agent_started"}}, "timeout_ms": 400},
        ])
        r = self.run_scenario(path)
        head = self.assertFailure(r, "taken before", "message_timeout", "unconsumed: ", step=5, fname=fname)
        self.assertIn("a matching message arrived, but step 4 consumed it", head)
        self.assertNotIn("did not send", r.out, msg=repr(r))


if __name__ == "__main__":
    unittest.main()
