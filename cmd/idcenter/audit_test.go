package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/idcenter/idcenter/internal/testenv"
)

// build compiles the binary into a temporary directory.
func build(t *testing.T) (bin, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "idcenter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin, dir
}

// idc runs the binary and returns its standard output.
func idc(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), &cmdError{err: err, stderr: stderr.String()}
	}
	return string(out), nil
}

type cmdError struct {
	err    error
	stderr string
}

func (e *cmdError) Error() string { return e.err.Error() + ": " + e.stderr }

// serveBinary runs the binary's serve with args and returns it with what it
// printed (url, store, key, secret).
func serveBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, map[string]string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	info := map[string]string{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 3 && f[0] == "idcenter" && f[1] == "listening":
			info["url"] = f[3]
		case len(f) >= 6 && f[0] == "organization" && f[1] == "instance":
			info["store"] = f[5]
		case len(f) >= 6 && f[0] == "management" && f[1] == "access":
			info["key"], info["secret"] = strings.TrimSuffix(f[3], ","), f[5]
		}
		if strings.HasPrefix(sc.Text(), "export AWS_SHARED") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if info["url"] == "" {
		t.Fatal("the server did not start")
	}
	return cmd, info
}

// dataArgs are the flags that find the test's data: the data directory, or
// PostgreSQL when IDCENTER_POSTGRES_URL is set.
func dataArgs(t *testing.T, data string) []string {
	if testenv.PostgresURL() != "" {
		return []string{"--data", data, "--db", testenv.FreshPostgres(t)}
	}
	return []string{"--data", data}
}

// TestAuditCommands: calls to a running server, and an admin command run
// beside it, are in the trail that `idcenter audit query` reads (table, CSV
// and JSON), and that the AWS CLI reads through CloudTrail Lake; a query
// that would write is refused and changes nothing; a clean shutdown stores
// every event.
func TestAuditCommands(t *testing.T) {
	bin, dir := build(t)
	data := filepath.Join(dir, "data")
	args := dataArgs(t, data)
	cmd, info := serveBinary(t, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()

	// An admin command while the server runs.
	out, err := idc(t, bin, append([]string{"account", "create", "--name", "dev", "--email", "dev@example.com"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var memberKey, memberSecret, memberID string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) == 2 && f[0] == "account":
			memberID = f[1]
		case len(f) == 3 && f[0] == "access" && f[1] == "key":
			memberKey = f[2]
		case len(f) == 2 && f[0] == "secret":
			memberSecret = f[1]
		}
	}
	if memberKey == "" || memberSecret == "" {
		t.Fatalf("account create printed %q", out)
	}
	// A member creates and deletes an account instance.
	ctx := context.Background()
	sso := ssoadmin.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(info["url"]), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(memberKey, memberSecret, "")})
	inst, err := sso.CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("team")})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err = sso.DeleteInstance(ctx, &ssoadmin.DeleteInstanceInput{InstanceArn: inst.InstanceArn}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	out, err = idc(t, bin, append([]string{"audit", "event-data-stores"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	eds := strings.Fields(out)[0]
	q := strings.Replace(issueQueryText, "<event data store id>", eds, 1)

	// The issue's query, as CSV. The server stores an event complete a
	// moment after the call (as CloudTrail does, later still): ask again
	// until both are there.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		out, err = idc(t, bin, append(append([]string{"audit", "query", "--format", "csv"}, args...), q)...)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]string{}
		for _, r := range recs[1:] {
			if r[0] == "arn:aws:iam::"+memberID+":root" && r[2] == memberID {
				rows[r[1]] = r[0]
			}
		}
		if strings.Join(recs[0], ",") != "userARN,eventName,userIdentity.accountId" {
			t.Fatalf("csv:\n%s", out)
		}
		if rows["CreateInstance"] != "" && rows["DeleteInstance"] != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("csv:\n%s", out)
		}
	}
	// The organization instance made at the first start is there too.
	out, err = idc(t, bin, append(append([]string{"audit", "query", "--format", "json"}, args...),
		"SELECT eventName, userIdentity.invokedBy AS invoker, responseElements.instanceArn AS arn FROM "+eds+" WHERE userIdentity.type = 'Unknown' ORDER BY eventTime")...)
	if err != nil {
		t.Fatal(err)
	}
	var admin []map[string]*string
	if err := json.Unmarshal([]byte(out), &admin); err != nil {
		t.Fatalf("json %q: %v", out, err)
	}
	var names []string
	for _, a := range admin {
		names = append(names, *a["eventName"])
	}
	if strings.Join(names, ",") != "CreateOrganization,CreateInstance,CreateAccessKey,CreateAccount,CreateAccessKey" ||
		*admin[1]["arn"] == "" || *admin[0]["invoker"] != "idcenter admin command" {
		t.Fatalf("admin events %s", out)
	}
	out, err = idc(t, bin, append(append([]string{"audit", "query"}, args...), "SELECT count(*) AS n FROM "+eds+" WHERE eventName = 'CreateInstance'")...)
	if err != nil || !strings.Contains(out, "n\n--\n2 \n") && !strings.Contains(out, "n\n-\n2\n") {
		t.Fatalf("table %q %v", out, err)
	}

	// Refused statements change nothing.
	count := func() string {
		out, err := idc(t, bin, append(append([]string{"audit", "query", "--format", "csv"}, args...), "SELECT count(*) FROM "+eds)...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := count()
	for _, bad := range []string{"DELETE FROM " + eds, "DROP TABLE audit_events", "SELECT * FROM " + eds + "; DELETE FROM audit_events", "SELECT * FROM access_keys"} {
		if _, err := idc(t, bin, append(append([]string{"audit", "query"}, args...), bad)...); err == nil || !strings.Contains(err.Error(), "idcenter:") {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	if after := count(); after != before {
		t.Fatalf("count %s before, %s after", before, after)
	}

	// The AWS CLI, through CloudTrail Lake.
	if _, err := exec.LookPath("aws"); err == nil {
		awsCLI := func(args ...string) map[string]any {
			t.Helper()
			c := exec.Command("aws", append(args, "--endpoint-url", info["url"], "--region", "us-east-1", "--output", "json")...)
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "AWS_") {
					c.Env = append(c.Env, kv)
				}
			}
			c.Env = append(c.Env, "AWS_ACCESS_KEY_ID="+info["key"], "AWS_SECRET_ACCESS_KEY="+info["secret"], "AWS_CONFIG_FILE=/dev/null",
				"AWS_SHARED_CREDENTIALS_FILE=/dev/null")
			out, err := c.CombinedOutput()
			if err != nil {
				t.Fatalf("aws %v: %v\n%s", args, err, out)
			}
			var m map[string]any
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatalf("aws %v: %s", args, out)
			}
			return m
		}
		st := awsCLI("cloudtrail", "start-query", "--query-statement", q)
		var res map[string]any
		for i := 0; i < 100; i++ {
			res = awsCLI("cloudtrail", "get-query-results", "--query-id", st["QueryId"].(string))
			if res["QueryStatus"] != "RUNNING" {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		b, _ := json.Marshal(res["QueryResultRows"])
		if res["QueryStatus"] != "FINISHED" || !strings.Contains(string(b), `{"eventName":"DeleteInstance"}`) || !strings.Contains(string(b), `{"userARN":"arn:aws:iam::`+memberID+`:root"}`) {
			t.Fatalf("aws cloudtrail get-query-results: %v", res)
		}
		if l := awsCLI("cloudtrail", "lookup-events", "--max-results", "3"); len(l["Events"].([]any)) != 3 {
			t.Fatalf("aws cloudtrail lookup-events: %v", l)
		}
	}

	// A clean shutdown stores the events of the last calls.
	for i := 0; i < 200; i++ {
		if _, err := sso.ListInstances(ctx, &ssoadmin.ListInstancesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	out, err = idc(t, bin, append(append([]string{"audit", "query", "--format", "csv"}, args...), "SELECT count(*) FROM "+eds+" WHERE eventName = 'ListInstances'")...)
	if err != nil || strings.TrimSpace(strings.Split(out, "\n")[1]) != "200" {
		t.Fatalf("after shutdown: %q %v", out, err)
	}
}

const issueQueryText = `SELECT userIdentity.arn AS userARN, eventName, userIdentity.accountId FROM <event data store id> WHERE userIdentity.arn IS NOT NULL AND eventName = 'DeleteInstance' OR eventName = 'CreateInstance'`
