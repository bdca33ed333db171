/**
 * Code values of the analytics facts that the standard catalogue filters on. One place, so a bank whose source
 * systems use other codes maps them here (or in ingest) instead of editing every tag.
 */
export const vocab = {
  /** transactions.direction */
  out: 'out',
  in: 'in',
  /** transactions.txn_type */
  purchase: 'purchase',
  transfer: 'transfer',
  salary: 'salary',
  fee: 'fee',
  redemption: 'redemption',
  /** Transaction types that are not customer-initiated (lifecycle activity ignores them). */
  passiveTxnTypes: ['salary', 'interest', 'fee'],
  /** transactions.channel of credit-card transactions */
  cardChannel: 'credit_card',
  /** transactions.counterparty_type of third-party wallet payments (Alipay, WeChat Pay) */
  walletCounterparty: 'wallet',
  /** transactions.merchant_category groups used by the interest tags */
  categories: {
    dining: ['dining'],
    travel: ['travel', 'hotel', 'airline'],
    fitness: ['fitness', 'sports'],
    health_wellness: ['health', 'pharmacy'],
    beauty: ['beauty'],
    digital: ['digital', 'electronics'],
    education: ['education'],
    auto: ['auto', 'fuel'],
    green: ['green', 'ev_charging', 'public_transport'],
    child: ['maternity', 'education', 'toys'],
  },
  allCategories: [
    'dining',
    'travel',
    'hotel',
    'airline',
    'supermarket',
    'fitness',
    'sports',
    'health',
    'pharmacy',
    'beauty',
    'digital',
    'electronics',
    'education',
    'auto',
    'fuel',
    'green',
    'ev_charging',
    'public_transport',
    'maternity',
    'toys',
    'apparel',
    'entertainment',
    'utilities',
    'agriculture',
    'other',
  ],
  /** app_events.event_type */
  login: 'login',
  productView: 'product_view',
  search: 'search',
  appPurchase: 'purchase',
  pushOptIn: 'push_opt_in',
  pushOptOut: 'push_opt_out',
  /** product families (dim_products.family, holdings, app events) */
  families: [
    'deposit',
    'wealth',
    'fund',
    'insurance',
    'consumer_loan',
    'mortgage',
    'car_loan',
    'business_loan',
    'agri_loan',
    'credit_card',
  ],
  investFamilies: ['wealth', 'fund'],
  loanFamilies: ['consumer_loan', 'mortgage', 'car_loan', 'business_loan', 'agri_loan'],
  /** contacts */
  complaint: 'complaint',
  referral: 'referral',
  responses: ['accepted', 'ignored', 'declined'],
  contactChannels: ['sms', 'call', 'push', 'wechat', 'email', 'branch', 'app'],
  /** statuses */
  active: 'active',
  closed: 'closed',
  /** dim_accounts.kind */
  payrollAccount: 'payroll',
  businessAccount: 'business',
  /** dim_customers.flags */
  fraudFlag: 'fraud_restricted',
  /** dim_customers.housing */
  renting: 'rent',
  /** dim_customers occupation / industry codes of farmers and herders, business owners */
  agriOccupations: ['farmer', 'herder'],
  agriIndustry: 'agriculture',
  businessOwner: 'business_owner',
} as const;
