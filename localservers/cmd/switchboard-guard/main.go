// Command switchboard-guard runs one child process and makes sure it never
// outlives the Node.js process that started the guard: the guard stops the
// child when its own standard input closes (the parent died, even by SIGKILL),
// forwards SIGINT/SIGTERM, and the kernel signals the child if the guard dies.
//
// Usage: switchboard-guard [-grace 10s] -- command [args...]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	grace := flag.Duration("grace", 10*time.Second, "time the child has to stop before it is killed")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: switchboard-guard [-grace 10s] -- command [args...]")
		os.Exit(2)
	}
	os.Exit(run(flag.Args(), *grace))
}

func run(argv []string, grace time.Duration) int {
	// Pdeathsig fires when the thread that started the child exits, so keep
	// this goroutine on one OS thread for the guard's whole life.
	runtime.LockOSThread()

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard-guard:", err)
		return 1
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	stopRequested := make(chan struct{}, 1)
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-signals
		stopRequested <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stopRequested <- struct{}{}
	}()

	select {
	case err := <-exited:
		return exitCode(err)
	case <-stopRequested:
	}

	// Signal the whole process group: the child may have children of its own.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case err := <-exited:
		return exitCode(err)
	case <-time.After(grace):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return exitCode(<-exited)
	}
}

func exitCode(err error) int {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr):
		if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			// Stopped by our own signal: a clean stop.
			if status.Signal() == syscall.SIGTERM || status.Signal() == syscall.SIGINT {
				return 0
			}
		}
		return exitErr.ExitCode()
	default:
		return 1
	}
}
