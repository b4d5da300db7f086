package main

import (
	"context"
	"os"
)

// prepare gives a scenario its working directory (a temporary one, removed by cleanup, when
// dir is empty) and the portfolio binary it runs: bin when given, else one built from repo.
func prepare(ctx context.Context, dir, prefix, bin, repo string) (work, binary string, cleanup func(), err error) {
	cleanup = func() {}
	work = dir
	if work == "" {
		if work, err = os.MkdirTemp("", prefix); err != nil {
			return "", "", cleanup, err
		}
		cleanup = func() { _ = os.RemoveAll(work) }
	} else if err := os.MkdirAll(work, 0o700); err != nil {
		return "", "", cleanup, err
	}
	if bin == "" {
		logf("building ./cmd/portfolio")
		if bin, err = buildPortfolio(ctx, repo, work); err != nil {
			cleanup()
			return "", "", func() {}, err
		}
	}
	return work, bin, cleanup, nil
}
