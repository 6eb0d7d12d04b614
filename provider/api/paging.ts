/**
 * The page size in ONE place (contract 2.1: "the client asks for a large page (one setting,
 * one place) and follows whatever page size is served"). The client's lists and the doctor's
 * page-size probe read these constants.
 */

/** The `$top` asked for: public scripts ask for `$top=10000` on accounts [P]; the service's cap is unknown [A]. */
export const REQUESTED_PAGE_SIZE = 1000;

/**
 * The smallest page the tool's request budgets assume the service serves when asked for a
 * large page [A]: the benchmark's bounds count pages of 100. A service serving fewer still
 * works (the client follows `next`), only with more requests; `doctor` reports it as refuted.
 */
export const ASSUMED_MIN_PAGE_SIZE = 100;
