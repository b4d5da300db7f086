#!/usr/bin/env bash
# The README's screenshots, from the real server over ssh in tmux, through freeze v0.2.2
# (go install github.com/charmbracelet/freeze@v0.2.2). Usage: bash docs/screenshots.sh .
set -eu
repo=$1; out=$repo/docs
cd "$repo"; go build -o /tmp/shots-pf ./cmd/portfolio
d=$(mktemp -d); PORTFOLIO_ADDR=127.0.0.1:24555 PORTFOLIO_HOST_KEY_PATH=$d/key /tmp/shots-pf >$d/log 2>&1 & pid=$!
sleep 1.5
SSH="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p 24555 127.0.0.1"
shot() { # name term bg keys...
  local name=$1 term=$2 bg=$3; shift 3
  tmux kill-server 2>/dev/null || true
  tmux new-session -d -s S -x 100 -y 30
  if [ "$bg" = light ]; then tmux set -g window-style 'bg=#ffffff,fg=#000000'; fi
  tmux send-keys -t S "clear; TERM=$term $SSH" Enter; sleep 3
  for k in "$@"; do tmux send-keys -t S "$k"; sleep 0.8; done
  tmux capture-pane -e -p -t S > $d/$name.ansi
  if [ "$bg" = light ]; then
    # freeze draws the terminal's default colours light on dark: spell out this pane's own.
    sed -e 's/\x1b\[0m/\x1b[0m\x1b[38;2;0;0;0m/g; s/\x1b\[39m/\x1b[38;2;0;0;0m/g; s/\x1b\[3m/\x1b[3m\x1b[38;2;0;0;0m/g; s/^/\x1b[38;2;0;0;0m/' $d/$name.ansi > $d/$name.fixed
    freeze --language ansi -b "#ffffff" -o "$out/$name.png" < $d/$name.fixed >/dev/null
  else
    freeze --language ansi -o "$out/$name.png" < $d/$name.ansi >/dev/null
  fi
  tmux kill-server
}
shot screenshot xterm-256color dark
shot screenshot-light xterm-256color light 2
shot screenshot-16 xterm dark 1
kill $pid; rm -rf $d
