package cloudtrail

import (
	"context"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/cloudtrail"
)

func (a *API) listEventDataStores(ctx context.Context, in *model.ListEventDataStoresRequest) (*model.ListEventDataStoresResponse, error) {
	eds, err := a.trail.CallerEventDataStore(ctx, "ListEventDataStores")
	if err != nil {
		return nil, err
	}
	if awsshape.String(in.NextToken) != "" {
		return nil, invalidNextToken()
	}
	return &model.ListEventDataStoresResponse{EventDataStores: []model.EventDataStore{{
		EventDataStoreArn:            &eds.Arn,
		Name:                         &eds.Name,
		Status:                       awsshape.Ptr("ENABLED"),
		TerminationProtectionEnabled: awsshape.Ptr(true),
		MultiRegionEnabled:           awsshape.Ptr(true),
		OrganizationEnabled:          awsshape.Ptr(true),
		RetentionPeriod:              awsshape.Ptr(int32(audit.RetentionDays)),
		AdvancedEventSelectors: []model.AdvancedEventSelector{{
			Name:           awsshape.Ptr("Management events"),
			FieldSelectors: []model.AdvancedFieldSelector{{Field: awsshape.Ptr("eventCategory"), Equals: []string{"Management"}}},
		}},
		CreatedTimestamp: awsshape.Stamp(eds.Created),
		UpdatedTimestamp: awsshape.Stamp(eds.Created),
	}}}, nil
}

func (a *API) startQuery(ctx context.Context, in *model.StartQueryRequest) (*model.StartQueryResponse, error) {
	if in.DeliveryS3Uri != nil {
		return nil, invalidParameter("Delivering query results to Amazon S3 is not supported; read them with GetQueryResults.")
	}
	if in.QueryAlias != nil {
		return nil, invalidParameter("Query aliases (dashboards) are not supported; give a QueryStatement.")
	}
	id, err := a.trail.StartQuery(ctx, audit.StartQueryInput{
		Statement: awsshape.String(in.QueryStatement), Parameters: in.QueryParameters, OwnerAccountID: awsshape.String(in.EventDataStoreOwnerAccountId),
	})
	if err != nil {
		return nil, err
	}
	return &model.StartQueryResponse{QueryId: &id, EventDataStoreOwnerAccountId: in.EventDataStoreOwnerAccountId}, nil
}

func (a *API) describeQuery(ctx context.Context, in *model.DescribeQueryRequest) (*model.DescribeQueryResponse, error) {
	if in.QueryAlias != nil || in.RefreshId != nil {
		return nil, invalidParameter("Query aliases (dashboards) are not supported; give a QueryId.")
	}
	q, err := a.trail.DescribeQuery(ctx, awsshape.String(in.QueryId), awsshape.String(in.EventDataStore))
	if err != nil {
		return nil, err
	}
	return &model.DescribeQueryResponse{
		QueryId:     &q.ID,
		QueryString: &q.Statement,
		QueryStatus: &q.Status,
		QueryStatistics: &model.QueryStatisticsForDescribeQuery{
			EventsMatched:         awsshape.Ptr(q.ResultCount),
			EventsScanned:         awsshape.Ptr(q.ResultCount),
			BytesScanned:          awsshape.Ptr(q.BytesScanned),
			ExecutionTimeInMillis: awsshape.Ptr(int32(min(q.ExecMS, 1<<31-1))),
			CreationTime:          awsshape.Stamp(q.Created),
		},
		ErrorMessage:                 awsshape.OptString(q.ErrorMessage),
		EventDataStoreOwnerAccountId: in.EventDataStoreOwnerAccountId,
	}, nil
}

func (a *API) getQueryResults(ctx context.Context, in *model.GetQueryResultsRequest) (*model.GetQueryResultsResponse, error) {
	r, err := a.trail.QueryResults(ctx, awsshape.String(in.QueryId), awsshape.String(in.EventDataStore), awsshape.String(in.NextToken), awsshape.Int(in.MaxQueryResults))
	if err != nil {
		return nil, err
	}
	out := &model.GetQueryResultsResponse{QueryStatus: &r.Query.Status, ErrorMessage: awsshape.OptString(r.Query.ErrorMessage), NextToken: awsshape.OptString(r.Next)}
	if r.Query.Status == audit.StatusFinished {
		out.QueryStatistics = &model.QueryStatistics{
			ResultsCount:      awsshape.Ptr(int32(len(r.Rows))),
			TotalResultsCount: awsshape.Ptr(int32(r.Query.ResultCount)),
			BytesScanned:      awsshape.Ptr(r.Query.BytesScanned),
		}
		out.QueryResultRows = rowsOut(r.Columns, r.Rows)
	}
	return out, nil
}

// rowsOut shapes rows as CloudTrail Lake does: each row a list of
// one-entry maps, column name to value (NULL as an empty string).
func rowsOut(cols []string, rows [][]*string) [][]map[string]string {
	out := make([][]map[string]string, len(rows))
	for i, row := range rows {
		out[i] = make([]map[string]string, len(cols))
		for j, v := range row {
			s := ""
			if v != nil {
				s = *v
			}
			out[i][j] = map[string]string{cols[j]: s}
		}
	}
	return out
}
