package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/maphash"
	"os"
	"time"

	"github.com/idcenter/idcenter/internal/loadgen"
)

// bench drives a running server (started with --bench-baseline) over HTTP
// with signed requests and prints req/s and latency per operation, each as a
// ratio to the trivial baseline handler on the same machine. With --seed it
// first creates the population it reads (users, groups, memberships)
// through the API.
func bench(args []string) error {
	if len(args) > 0 && args[0] == "access" {
		return benchAccess(args[1:])
	}
	if len(args) > 0 && args[0] == "events" {
		return benchEvents(args[1:], os.Stdout)
	}
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	t := addBenchFlags(fs, "", "population")
	rounds := fs.Int("rounds", 5, "measure each operation in this many slices, each after a slice of the baseline, and take its ratio to those (0: the baseline once, first)")
	fs.Parse(args)
	ctx := context.Background()
	_, cfg, err := t.open(ctx, "bench", 0)
	if err != nil {
		return err
	}
	p, sign := &t.pop, t.signer("identitystore")
	baseline, scenarios := loadgen.BaselineScenario(loadgen.BaselinePath, sign), t.selected(readScenarios(p, t.storeID, sign))
	var res []loadgen.Result
	if *rounds > 0 {
		res = loadgen.RunPaired(ctx, cfg, *rounds, baseline, scenarios...)
	} else {
		res = loadgen.Run(ctx, cfg, append([]loadgen.Scenario{baseline}, scenarios...)...)
	}
	fmt.Printf("store %s: %d users, %d groups, %d memberships; %d connections\n", t.storeID, p.users, p.groups, p.memberships, t.conns)
	if err := loadgen.WriteTable(os.Stdout, res, &res[0]); err != nil {
		return err
	}
	return t.writeServerMemory(ctx, os.Stdout)
}

// pick spreads (worker, seq) over [0, n) pseudo-randomly, so that reads hit
// the whole population rather than a hot few rows.
func pick(salt uint64, worker int, seq uint64, n int) int {
	var b [24]byte
	binary.LittleEndian.PutUint64(b[:], salt)
	binary.LittleEndian.PutUint64(b[8:], uint64(worker))
	binary.LittleEndian.PutUint64(b[16:], seq)
	return int(maphash.Bytes(benchSeed, b[:]) % uint64(n))
}

var benchSeed = maphash.MakeSeed()

// readScenarios are the operations the issue names, over the population,
// then CreateUser (new users, so it is measured last).
func readScenarios(p *population, storeID string, sign *loadgen.Signer) []loadgen.Scenario {
	call := func(name, op string, body func(w int, seq uint64) string) loadgen.Scenario {
		return loadgen.Scenario{Name: name, Signer: sign, Next: func(w int, seq uint64) loadgen.Request {
			r := loadgen.AWSJSON("AWSIdentityStore", op, []byte(body(w, seq)))
			r.Expect = loadgen.ExpectStatus(200)
			return r
		}}
	}
	user := func(w int, seq uint64) int { return pick(1, w, seq, p.users) }
	run := time.Now().UnixNano() % 0xffffff
	return []loadgen.Scenario{
		call("DescribeUser", "DescribeUser", func(w int, seq uint64) string {
			return fmt.Sprintf(`{"IdentityStoreId":%q,"UserId":%q}`, storeID, p.userIDs[user(w, seq)])
		}),
		call("GetUserId(userName)", "GetUserId", func(w int, seq uint64) string {
			return fmt.Sprintf(`{"IdentityStoreId":%q,"AlternateIdentifier":{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":%q}}}`,
				storeID, seedUserName(user(w, seq)))
		}),
		call("GetUserId(email)", "GetUserId", func(w int, seq uint64) string {
			return fmt.Sprintf(`{"IdentityStoreId":%q,"AlternateIdentifier":{"UniqueAttribute":{"AttributePath":"emails.value","AttributeValue":"%s@example.com"}}}`,
				storeID, seedUserName(user(w, seq)))
		}),
		call("ListUsers(100)", "ListUsers", func(w int, seq uint64) string {
			return fmt.Sprintf(`{"IdentityStoreId":%q,"MaxResults":100}`, storeID)
		}),
		call("IsMemberInGroups(5)", "IsMemberInGroups", func(w int, seq uint64) string {
			u := user(w, seq)
			// Two groups the user is in, three picked at random.
			g := []int{p.groupOf(u, 0), p.groupOf(u, p.perUser()-1), pick(2, w, seq, p.groups), pick(3, w, seq, p.groups), pick(4, w, seq, p.groups)}
			return fmt.Sprintf(`{"IdentityStoreId":%q,"MemberId":{"UserId":%q},"GroupIds":[%q,%q,%q,%q,%q]}`, storeID, p.userIDs[u],
				p.groupIDs[g[0]], p.groupIDs[g[1]], p.groupIDs[g[2]], p.groupIDs[g[3]], p.groupIDs[g[4]])
		}),
		call("ListGroupMembershipsForMember", "ListGroupMembershipsForMember", func(w int, seq uint64) string {
			return fmt.Sprintf(`{"IdentityStoreId":%q,"MemberId":{"UserId":%q}}`, storeID, p.userIDs[user(w, seq)])
		}),
		call("CreateUser", "CreateUser", func(w int, seq uint64) string {
			n := fmt.Sprintf("bench-%x-%d-%d", run, w, seq)
			return fmt.Sprintf(`{"IdentityStoreId":%q,"UserName":%q,"DisplayName":%q,"Name":{"GivenName":"G","FamilyName":"F"},"Emails":[{"Value":"%s@example.com","Primary":true}]}`,
				storeID, n, n, n)
		}),
	}
}
