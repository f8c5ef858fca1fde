/** What a renderer may use besides the payload. */
export interface RenderContext {
  /** An absolute link into the web console: `link('proposals/<id>')`. */
  link(path: string): string;
  /**
   * The secret of a single-use link (password reset, email verification), derived from its id
   * with a key outside the database: the outbox row holds only the id.
   */
  revealToken(tokenId: string): string;
}
