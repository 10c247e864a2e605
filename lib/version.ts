/** rxagent's version, as reported in the user agent and in rollouts' `cli_version` (a spec keeps it equal to package.json's). */
export const VERSION = '0.1.0';
