package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/idcenter/idcenter/internal/loadgen"
)

// bench drives a running server (started with --bench-baseline) over HTTP
// with signed requests and prints req/s and latency per operation, each as a
// ratio to the trivial baseline handler on the same machine.
func bench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	url := fs.String("url", "http://127.0.0.1:7426", "server endpoint")
	key := fs.String("key", "", "access key id")
	sec := fs.String("secret", "", "secret access key")
	storeID := fs.String("store", "", "identity store id")
	conns := fs.Int("conns", 8, "concurrent connections")
	dur := fs.Duration("duration", 5*time.Second, "duration per operation")
	fs.Parse(args)
	if *key == "" || *sec == "" || *storeID == "" {
		return fmt.Errorf("bench needs --key, --secret and --store (printed by serve)")
	}
	sign := loadgen.NewSigner(*key, *sec, "", "us-east-1", "identitystore")
	run := fmt.Sprintf("%x", time.Now().UnixNano()%0xffffff)
	name := func(w int, seq uint64) string { return fmt.Sprintf("b%s-%d-%d", run, w, seq) }
	create := loadgen.Scenario{Name: "CreateUser", Signer: sign, Next: func(w int, seq uint64) loadgen.Request {
		n := name(w, seq)
		return loadgen.AWSJSON("AWSIdentityStore", "CreateUser", []byte(fmt.Sprintf(
			`{"IdentityStoreId":%q,"UserName":%q,"DisplayName":%q,"Name":{"GivenName":"G","FamilyName":"F"},"Emails":[{"Value":"%s@example.com","Primary":true}]}`,
			*storeID, n, n, n)))
	}}
	getID := loadgen.Scenario{Name: "GetUserId(userName)", Signer: sign, Next: func(w int, seq uint64) loadgen.Request {
		return loadgen.AWSJSON("AWSIdentityStore", "GetUserId", []byte(fmt.Sprintf(
			`{"IdentityStoreId":%q,"AlternateIdentifier":{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":%q}}}`, *storeID, name(w%*conns, seq%100))))
	}}
	list := loadgen.FixedScenario("ListUsers(100)", loadgen.AWSJSON("AWSIdentityStore", "ListUsers",
		[]byte(fmt.Sprintf(`{"IdentityStoreId":%q,"MaxResults":100}`, *storeID))), sign)
	cfg := loadgen.Config{BaseURL: *url, Conns: *conns, Duration: *dur}
	res := loadgen.Run(context.Background(), cfg, loadgen.BaselineScenario(loadgen.BaselinePath, sign), create, getID, list)
	return loadgen.WriteTable(os.Stdout, res, &res[0])
}
