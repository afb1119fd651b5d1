import {
  type BotStep,
  type ConversationStatus,
  type Gender,
  type OrderStatus,
  type Platform,
  type Role,
  type TicketResult,
  type TicketSource,
  type TicketStatus,
  type TicketTarget,
  MARKETPLACES,
} from '../../entities/enums';
import { RANK, TERMINAL } from '../orders/order-lattice';

export type ReferenceItem = { code: string; descriptionVi: string; descriptionEn: string };
export type TicketSourceItem = ReferenceItem & { number: number };
export type OrderStatusItem = ReferenceItem & { rank: number | null; terminal: boolean };
export type PlatformItem = ReferenceItem & { marketplace: boolean };

const item = (code: string, descriptionVi: string, descriptionEn: string): ReferenceItem => ({
  code,
  descriptionVi,
  descriptionEn,
});

/** Exhaustive over the enum, so adding a value without its labels fails to compile. */
type Labels<E extends string> = Record<E, [vi: string, en: string]>;

const list = <E extends string>(labels: Labels<E>): ReferenceItem[] =>
  (Object.entries(labels) as [E, [string, string]][]).map(([code, [vi, en]]) => item(code, vi, en));

const ticketStatuses: Labels<TicketStatus> = {
  NEW: ['Mới', 'New'],
  ASSIGNED: ['Đã phân công', 'Assigned'],
  COMPLETED: ['Hoàn thành', 'Completed'],
  CANCELED: ['Đã hủy', 'Canceled'],
};

/** Numbered 1..8 as in BR-CRM; the number is part of the contract. */
const ticketSources: Record<TicketSource, [number, string, string]> = {
  NEW_CUSTOMER: [1, 'Khách hàng mới', 'New customer'],
  COMPLAINT: [2, 'Khiếu nại, phản ánh của khách hàng', 'Customer complaint or feedback'],
  FOLLOW_UP: [3, 'Chăm sóc lại theo kết quả cuộc gọi', 'Follow-up from a call result'],
  AFTER_SALE_CARE: [
    4,
    'Chăm sóc sau mua (đơn đã giao, thanh toán thành công)',
    'After-sale care (order delivered, payment received)',
  ],
  CONVERSATION: [5, 'Tin nhắn cần nhân viên xử lý', 'Conversation handed to an agent'],
  MANUAL: [6, 'Tạo thủ công', 'Created manually'],
  CONTACT_VERIFICATION: [
    7,
    'Xác minh lại thông tin liên hệ (sai số)',
    'Contact verification (wrong number)',
  ],
  BIRTHDAY: [8, 'Sinh nhật khách hàng', 'Customer birthday'],
};

const ticketResults: Labels<TicketResult> = {
  CALL_LATER: ['Gọi lại sau', 'Call later'],
  TURN_OFF: ['Thuê bao tắt máy', 'Phone turned off'],
  NOT_AVAILABLE_CALL: ['Không liên lạc được', 'Not reachable'],
  MISSED_CALL: ['Không nghe máy', 'Missed call'],
  WRONG_NUMBER: ['Sai số điện thoại', 'Wrong number'],
  WRONG_INFORMATION: ['Sai thông tin', 'Wrong information'],
  HOLD_POTENTIAL_APPOINTMENT: ['Giữ lịch hẹn tiềm năng', 'Potential appointment on hold'],
  CANCEL_SERVICE: ['Hủy dịch vụ', 'Service canceled'],
  COMPLETED: ['Hoàn thành', 'Completed'],
  NOT_INTERESTED: ['Không có nhu cầu', 'Not interested'],
};

const ticketTargets: Labels<TicketTarget> = {
  TELESALES: ['Telesales', 'Telesales'],
  CUSTOMER_SERVICE: ['Chăm sóc khách hàng', 'Customer service'],
};

const platforms: Labels<Platform> = {
  LAZADA: ['Lazada', 'Lazada'],
  SHOPEE: ['Shopee', 'Shopee'],
  TIKI: ['Tiki', 'Tiki'],
  SENDO: ['Sendo', 'Sendo'],
  TIKTOK: ['TikTok Shop', 'TikTok Shop'],
  FACEBOOK: ['Facebook Messenger', 'Facebook Messenger'],
  ZALO: ['Zalo OA', 'Zalo OA'],
};

/** Labels only: ranks and terminal states are the lattice's (services/orders/order-lattice.ts). */
const orderStatuses: Labels<OrderStatus> = {
  PENDING_PAYMENT: ['Chờ thanh toán', 'Pending payment'],
  CONFIRMED: ['Đã xác nhận', 'Confirmed'],
  PACKED: ['Đã đóng gói', 'Packed'],
  READY_TO_SHIP: ['Chờ lấy hàng', 'Ready to ship'],
  SHIPPED: ['Đang giao', 'Shipped'],
  DELIVERED: ['Đã giao', 'Delivered'],
  COMPLETED: ['Hoàn tất', 'Completed'],
  CANCELLED: ['Đã hủy', 'Cancelled'],
  FAILED: ['Giao thất bại', 'Delivery failed'],
  RETURN_REQUESTED: ['Yêu cầu trả hàng', 'Return requested'],
  RETURNED: ['Đã trả hàng', 'Returned'],
};

const roles: Labels<Role> = {
  ADMIN: ['Quản trị viên', 'Administrator'],
  BOD: ['Ban giám đốc', 'Board of directors'],
  IT: ['Công nghệ thông tin', 'IT'],
  TELESALES_LEADER: ['Trưởng nhóm telesales', 'Telesales leader'],
  CUSTOMER_SERVICE_LEADER: ['Trưởng nhóm CSKH', 'Customer service leader'],
  TELESALES: ['Nhân viên telesales', 'Telesales staff'],
  CUSTOMER_SERVICE: ['Nhân viên CSKH', 'Customer service staff'],
  PARTNER: ['Ứng dụng đối tác', 'Partner app'],
};

const conversationStatuses: Labels<ConversationStatus> = {
  OPEN: ['Đang mở', 'Open'],
  PENDING_BOT: ['Bot đang xử lý', 'With the bot'],
  ASSIGNED: ['Đã giao nhân viên', 'Assigned to an agent'],
  RESOLVED: ['Đã xử lý xong', 'Resolved'],
};

/** The bot's answer steps, in the order its fallback chain tries them (conversation-bot.ts). */
const botSteps: Labels<BotStep> = {
  AI: ['Trợ lý AI', 'AI assistant'],
  KNOWLEDGE_BASE: ['Cơ sở tri thức', 'Knowledge base'],
  TEMPLATE: ['Mẫu trả lời', 'Reply template'],
  HANDOFF: ['Chuyển nhân viên', 'Handed to an agent'],
};

const genders: Labels<Gender> = {
  MALE: ['Nam', 'Male'],
  FEMALE: ['Nữ', 'Female'],
  OTHER: ['Khác', 'Other'],
};

export type ReferenceData = {
  ticketStatuses: ReferenceItem[];
  ticketSources: TicketSourceItem[];
  ticketResults: ReferenceItem[];
  ticketTargets: ReferenceItem[];
  platforms: PlatformItem[];
  orderStatuses: OrderStatusItem[];
  roles: ReferenceItem[];
  conversationStatuses: ReferenceItem[];
  botSteps: ReferenceItem[];
  genders: ReferenceItem[];
};

export const referenceData: ReferenceData = {
  ticketStatuses: list(ticketStatuses),
  ticketSources: (Object.entries(ticketSources) as [TicketSource, [number, string, string]][])
    .map(([code, [number, vi, en]]) => ({ ...item(code, vi, en), number }))
    .sort((a, b) => a.number - b.number),
  ticketResults: list(ticketResults),
  ticketTargets: list(ticketTargets),
  platforms: list(platforms).map((p) => ({
    ...p,
    marketplace: (MARKETPLACES as readonly string[]).includes(p.code),
  })),
  orderStatuses: list(orderStatuses).map((status) => ({
    ...status,
    rank: RANK[status.code as OrderStatus] ?? null,
    terminal: TERMINAL.has(status.code as OrderStatus),
  })),
  roles: list(roles),
  conversationStatuses: list(conversationStatuses),
  botSteps: list(botSteps),
  genders: list(genders),
};

export const ticketSourceNumber = (source: TicketSource): number => ticketSources[source][0];
