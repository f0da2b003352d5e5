/**
 * Answers the session-expiry guide's ticket form accepts, by field id: a 30-minute timeout with a
 * Redis store behind an AWS load balancer without sticky sessions.
 */
export const SESSION_EXPIRY_ANSWERS = {
  session_timeout: '30m',
  store_type: 'redis',
  store_ttl: '1800',
  lb_type: 'aws',
  sticky_sessions: false,
  cookie_max_age: 'Session',
};
