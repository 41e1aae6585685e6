package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// start runs the built binary's serve on data and returns it with what it
// printed.
func start(t *testing.T, bin, data string) (*exec.Cmd, map[string]string) {
	return serveBinary(t, bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
}

// TestKillNineKeepsAcknowledgedWrites creates users, kills the server with
// SIGKILL right after the last acknowledgement, and finds every user after a
// restart; the restart also reuses the bootstrap (same store, same key).
func TestKillNineKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "idcenter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	cmd, info := start(t, bin, data)
	client := func(info map[string]string) *identitystore.Client {
		return identitystore.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(info["url"]), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(info["key"], info["secret"], "")})
	}
	ctx := context.Background()
	c := client(info)
	var ids []string
	for i := 0; i < 50; i++ {
		name := "u" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		out, err := c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(info["store"]), UserName: aws.String(name),
			DisplayName: aws.String(name), Name: &types.Name{GivenName: aws.String("G"), FamilyName: aws.String("F")}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.UserId)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	cmd2, info2 := start(t, bin, data)
	defer func() { cmd2.Process.Signal(os.Interrupt); cmd2.Wait() }()
	if info2["store"] != info["store"] || info2["key"] != info["key"] {
		t.Fatalf("restart recreated the bootstrap: %v vs %v", info2, info)
	}
	c = client(info2)
	for _, id := range ids {
		if _, err := c.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(info["store"]), UserId: aws.String(id)}); err != nil {
			t.Fatalf("user %s lost after kill -9: %v", id, err)
		}
	}
}
