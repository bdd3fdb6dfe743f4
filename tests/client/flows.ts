/*
 * flows.ts — the provincial portal's and the bloc's flows, walked by a
 * client generated from api-spec/openapi.yaml (openapi-typescript for the
 * types, openapi-fetch for the calls).  It is compiled with `tsc --strict`
 * against the generated types, so a member this code reads that the
 * contract does not declare fails the build, and then run against the
 * real service (tests/api/test_generated_client.py).
 *
 * Environment: THIDUA_URL, PORTAL_ID/PORTAL_SECRET (integration:read),
 * BLOC_ID/BLOC_SECRET (bloc:read bloc:score), BLOC, YEAR, MEMBER.
 * Prints one JSON line of what it saw; any unexpected answer exits 1.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

// Node's globals this file uses (no @types/node: one package fewer)
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const env = (name: string): string => {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set`);
	return v;
};

const api = createClient<paths>({ baseUrl: env("THIDUA_URL") });

function fail(what: string, status: number, body: unknown): never {
	throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
}

// OAuth 2.0 client credentials, as the contract's security scheme says
async function clientToken(id: string, secret: string, scope: string): Promise<string> {
	const { data, error, response } = await api.POST("/v1/auth/token", {
		body: { grant_type: "client_credentials", client_id: id, client_secret: secret, scope },
	});
	if (!data) fail("token", response.status, error);
	return data.access_token;
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function portal(): Promise<Record<string, unknown>> {
	const token = await clientToken(env("PORTAL_ID"), env("PORTAL_SECRET"), "integration:read");
	const org = await api.GET("/v1/organization", { headers: auth(token) });
	if (!org.data) fail("organization", org.response.status, org.error);
	const feed = await api.GET("/v1/integration/consolidations", {
		headers: auth(token),
		params: { query: { after: 0, limit: 10 } },
	});
	if (!feed.data) fail("feed", feed.response.status, feed.error);
	const sent = feed.data.items.map((k) => ({
		id: k.id,
		number: k.number_text,
		organization: k.document.organization?.code ?? null,
		supersedes: k.supersedes,
	}));
	return { organization: org.data.code, consolidations: sent };
}

async function bloc(): Promise<Record<string, unknown>> {
	const token = await clientToken(env("BLOC_ID"), env("BLOC_SECRET"), "bloc:read bloc:score");
	const id = Number(env("BLOC"));
	const year = Number(env("YEAR"));
	const member = Number(env("MEMBER"));
	const list = await api.GET("/v1/blocs", { headers: auth(token) });
	if (!list.data) fail("blocs", list.response.status, list.error);
	const scored = await api.PUT("/v1/blocs/{id}/years/{year}/scores/{member_id}", {
		headers: auth(token),
		params: { path: { id, year, member_id: member } },
		body: { points: { C1: 42 }, evidence: "Báo cáo tổng kết năm" },
	});
	if (!scored.data) fail("score", scored.response.status, scored.error);
	const ranking = await api.GET("/v1/blocs/{id}/years/{year}/ranking", {
		headers: auth(token),
		params: { path: { id, year } },
	});
	if (!ranking.data) fail("ranking", ranking.response.status, ranking.error);
	return {
		blocs: list.data.items.map((b) => b.code),
		ranking: ranking.data.items.map((i) => ({
			rank: i.rank,
			member: i.member.code,
			result: i.result,
		})),
	};
}

async function main(): Promise<void> {
	const out = { portal: await portal(), bloc: await bloc() };
	console.log(JSON.stringify(out));
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
