import { FakeHttpService, type ReceivedRequest } from './fake-http-service.ts';

/** A GitHub token assembled at run time, so no token-shaped string sits in the source. */
export const GITHUB_TOKEN = ['gh', 'p_', 'fixpathtestfixpathtestfixpathtest1234'].join('');
export const JIRA_EMAIL = 'bot@example.com';
export const JIRA_TOKEN = 'jira-api-token-for-tests';

interface Issue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  comments: Array<{ id: number; body: string }>;
}

/**
 * GitHub's issues API for one repository (`acme/support`), faked on 127.0.0.1: issues and comments
 * kept in memory, listed newest first as the real API does. Requests without the bearer token, the
 * API version header or a user agent are refused, as GitHub would.
 */
export function fakeGitHub() {
  const issues: Issue[] = [];
  let commentIds = 1000;
  /** Creates still happen, but their answers come this late (a timeout after GitHub accepted). */
  let slowCreates: { count: number; delayMs: number } = { count: 0, delayMs: 0 };
  const service = new FakeHttpService((request) => {
    const { method } = request;
    const url = new URL(request.url, 'http://x');
    if (request.headers.authorization !== `Bearer ${GITHUB_TOKEN}`)
      return { status: 401, body: { message: 'Bad credentials' } };
    if (request.headers['x-github-api-version'] !== '2022-11-28' || !request.headers['user-agent']) {
      return { status: 400, body: { message: 'missing headers' } };
    }
    const issuePath = /^\/repos\/acme\/support\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (method === 'POST' && url.pathname === '/repos/acme/support/issues') {
      const { title, body, labels } = JSON.parse(request.body) as Omit<Issue, 'number' | 'comments'>;
      const issue = { number: issues.length + 1, title, body, labels, comments: [] };
      issues.push(issue);
      const delayMs = slowCreates.count > 0 ? slowCreates.delayMs : 0;
      slowCreates = { ...slowCreates, count: Math.max(0, slowCreates.count - 1) };
      return { status: 201, body: view(issue), delayMs };
    }
    if (method === 'GET' && url.pathname === '/repos/acme/support/issues') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const newest = [...issues].reverse().slice((page - 1) * perPage, page * perPage);
      return { body: newest.map(view) };
    }
    const issue = issuePath ? issues.find((i) => i.number === Number(issuePath[1])) : undefined;
    if (issuePath && !issue) return { status: 404, body: { message: 'Not Found' } };
    if (issue && method === 'POST') {
      const comment = { id: ++commentIds, body: (JSON.parse(request.body) as { body: string }).body };
      issue.comments.push(comment);
      return { status: 201, body: commentView(issue, comment) };
    }
    if (issue && method === 'GET') return { body: issue.comments.map((c) => commentView(issue, c)) };
    return { status: 404, body: { message: 'Not Found' } };
  });
  const base = () => `https://github.test/acme/support/issues`;
  function view(issue: Issue) {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      labels: issue.labels,
      html_url: `${base()}/${issue.number}`,
    };
  }
  function commentView(issue: Issue, comment: { id: number; body: string }) {
    return {
      id: comment.id,
      body: comment.body,
      html_url: `${base()}/${issue.number}#issuecomment-${comment.id}`,
    };
  }
  return {
    service,
    issues,
    creates: () => service.of('POST', /^\/repos\/acme\/support\/issues$/),
    lists: () => service.of('GET', /^\/repos\/acme\/support\/issues\?/),
    /** The next `count` creates succeed, but answer only after `delayMs`. */
    answerCreatesLate(count: number, delayMs: number) {
      slowCreates = { count, delayMs };
    },
  };
}

interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary: string;
    labels: string[];
    description: unknown;
    project: { key: string };
    issuetype: { name: string };
  };
  comments: Array<{ id: string; body: unknown }>;
}

/**
 * Jira Cloud's REST API v3, faked: create issue, JQL search by label (the only JQL fixpath sends),
 * comments. Requests without the expected basic authentication are refused.
 */
export function fakeJira() {
  const issues: JiraIssue[] = [];
  const auth = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64')}`;
  const service = new FakeHttpService((request: ReceivedRequest) => {
    if (request.headers.authorization !== auth)
      return { status: 401, body: { errorMessages: ['unauthorised'] } };
    const url = new URL(request.url, 'http://x');
    if (request.method === 'POST' && url.pathname === '/rest/api/3/issue') {
      const { fields } = JSON.parse(request.body) as { fields: JiraIssue['fields'] };
      const id = String(10_000 + issues.length + 1);
      const issue = { id, key: `${fields.project.key}-${issues.length + 1}`, fields, comments: [] };
      issues.push(issue);
      return {
        status: 201,
        body: { id, key: issue.key, self: `https://acme.atlassian.test/rest/api/3/issue/${id}` },
      };
    }
    if (request.method === 'POST' && url.pathname === '/rest/api/3/search/jql') {
      const { jql } = JSON.parse(request.body) as { jql: string };
      const label = /labels = "([^"]+)"/.exec(jql)?.[1];
      const found = issues.filter((i) => label !== undefined && i.fields.labels.includes(label));
      return {
        body: { issues: found.map((i) => ({ id: i.id, key: i.key, fields: { summary: i.fields.summary } })) },
      };
    }
    const commentPath = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/comment$/.exec(url.pathname);
    const issue = commentPath ? issues.find((i) => i.key === commentPath[1]) : undefined;
    if (issue && request.method === 'POST') {
      const comment = {
        id: String(20_000 + issue.comments.length + 1),
        body: (JSON.parse(request.body) as { body: unknown }).body,
      };
      issue.comments.push(comment);
      return { status: 201, body: comment };
    }
    if (issue && request.method === 'GET')
      return { body: { comments: issue.comments, total: issue.comments.length } };
    return { status: 404, body: { errorMessages: ['Issue does not exist'] } };
  });
  return { service, issues };
}
