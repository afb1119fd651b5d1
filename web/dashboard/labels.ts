import { graphqlRequest } from '../shared/graphql-client';

export type Language = 'vi' | 'en';

type Described = { code: string; descriptionVi: string; descriptionEn: string };
type ReferenceData = {
  platforms: (Described & { marketplace: boolean })[];
  orderStatuses: (Described & { rank: number | null })[];
  roles: Described[];
  botSteps: Described[];
};

const REFERENCE_DATA = /* GraphQL */ `
  query DashboardReferenceData {
    referenceData {
      platforms {
        code
        descriptionVi
        descriptionEn
        marketplace
      }
      orderStatuses {
        code
        descriptionVi
        descriptionEn
        rank
      }
      roles {
        code
        descriptionVi
        descriptionEn
      }
      botSteps {
        code
        descriptionVi
        descriptionEn
      }
    }
  }
`;

const UI_TEXT = {
  title: { vi: 'Bảng điều hành', en: 'Operations dashboard' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  email: { vi: 'Email', en: 'Email' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  ordersBoard: { vi: 'Đơn hàng theo sàn và trạng thái', en: 'Orders by platform and status' },
  platform: { vi: 'Sàn', en: 'Platform' },
  total: { vi: 'Tổng', en: 'Total' },
  orderFeed: { vi: 'Sự kiện đơn hàng mới nhất', en: 'Latest order events' },
  noEvents: { vi: 'Chưa có sự kiện', en: 'No events yet' },
  receivedAt: { vi: 'Nhận lúc', en: 'Received' },
  tickets: { vi: 'Phiếu chăm sóc', en: 'Tickets' },
  ticketsDueToday: { vi: 'Phiếu đến hạn hôm nay', en: 'Tickets due today' },
  ticketsMissed: { vi: 'Phiếu quá hạn (bỏ lỡ)', en: 'Missed tickets' },
  noTickets: { vi: 'Không có phiếu', en: 'No tickets' },
  channelHealth: { vi: 'Tình trạng kết nối kênh', en: 'Channel health' },
  channel: { vi: 'Kênh', en: 'Channel' },
  channelStatus: { vi: 'Trạng thái', en: 'Status' },
  ACTIVE: { vi: 'Hoạt động', en: 'Active' },
  TOKEN_EXPIRED: { vi: 'Token hết hạn', en: 'Token expired' },
  DISCONNECTED: { vi: 'Đã ngắt', en: 'Disconnected' },
  NEEDS_REAUTHORIZATION: { vi: 'Cần ủy quyền lại', en: 'Needs re-authorization' },
  tokenExpiry: { vi: 'Token hết hạn sau (ngày)', en: 'Token expires in (days)' },
  lastPush: { vi: 'Lần đẩy cuối', en: 'Last push' },
  pushesLastHour: { vi: 'Lượt đẩy/giờ', en: 'Pushes/hour' },
  failuresLastHour: { vi: 'Lỗi/giờ', en: 'Failures/hour' },
  deadLetters: { vi: 'Thư chết', en: 'Dead letters' },
  botFallback: { vi: 'Tỷ lệ chuyển bước của bot (7 ngày)', en: 'Bot fallback rate (7 days)' },
  botAnswers: { vi: 'câu trả lời của bot', en: 'bot answers' },
  botStepUnknown: { vi: 'Không rõ bước', en: 'No step recorded' },
  handoffRate: { vi: 'Tỷ lệ chuyển người', en: 'Handoff rate' },
  notForRole: { vi: 'Không dành cho vai trò của bạn', en: 'Not available for your role' },
  failed: { vi: 'Không tải được', en: 'Could not load' },
  live: { vi: 'Trực tiếp', en: 'Live' },
  connecting: { vi: 'Đang kết nối…', en: 'Connecting…' },
  reconnecting: { vi: 'Mất kết nối, đang kết nối lại…', en: 'Connection lost, reconnecting…' },
  never: { vi: 'chưa có', en: 'never' },
  orderVolume: {
    vi: 'Đơn hàng mỗi giờ theo sàn (24 giờ qua)',
    en: 'Orders per hour by platform (last 24 h)',
  },
  ordersInWindow: { vi: 'đơn trong 24 giờ qua', en: 'orders in the last 24 hours' },
  orders: { vi: 'đơn', en: 'orders' },
  noOrdersInWindow: {
    vi: 'Chưa có đơn nào trong 24 giờ qua',
    en: 'No orders in the last 24 hours',
  },
  scrollHint: { vi: 'Cuộn ngang để xem thêm', en: 'Scroll sideways for more' },
} satisfies Record<string, Record<Language, string>>;

export type TextKey = keyof typeof UI_TEXT;

/** Codes are labelled as the API's referenceData describes them, in the chosen language. */
export class Labels {
  private constructor(
    private readonly reference: ReferenceData,
    public language: Language,
  ) {}

  static async load(language: Language): Promise<Labels> {
    const data = await graphqlRequest<{ referenceData: ReferenceData }>(REFERENCE_DATA);
    return new Labels(data.referenceData, language);
  }

  text(key: TextKey): string {
    return UI_TEXT[key][this.language];
  }

  platform(code: string): string {
    return this.describe(this.reference.platforms, code);
  }

  orderStatus(code: string): string {
    return this.describe(this.reference.orderStatuses, code);
  }

  /** Main-chain statuses in lattice order, then the side states. */
  orderStatusCodes(): string[] {
    return [...this.reference.orderStatuses]
      .sort((a, b) => (a.rank ?? 1_000) - (b.rank ?? 1_000))
      .map((status) => status.code);
  }

  role(code: string): string {
    return this.describe(this.reference.roles, code);
  }

  botStep(code: string): string {
    return this.describe(this.reference.botSteps, code);
  }

  /** The bot's steps in the order its fallback chain tries them. */
  botStepCodes(): string[] {
    return this.reference.botSteps.map((step) => step.code);
  }

  marketplaceCodes(): string[] {
    return this.reference.platforms
      .filter((platform) => platform.marketplace)
      .map((platform) => platform.code);
  }

  private describe(items: Described[], code: string): string {
    const item = items.find((candidate) => candidate.code === code);
    if (!item) return code;
    return this.language === 'vi' ? item.descriptionVi : item.descriptionEn;
  }
}
