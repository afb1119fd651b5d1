import { KnowledgeBaseType, Platform } from '../entities/enums';
import type { ReplyTemplateVariant } from '../entities/reply-template.entity';

/**
 * The demo's knowledge base and reply templates (seed-demo.ts), written for
 * buyers of a Vietnamese fashion shop: customer-service articles are what
 * the bot answers with, telesales ones are call scripts for the team.
 */
export type DemoArticle = {
  type: KnowledgeBaseType;
  title: string;
  body: string;
  keywords: string;
};

export const DEMO_ARTICLES: readonly DemoArticle[] = [
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Chính sách đổi trả trong 7 ngày',
    body: 'Bạn được đổi trả trong 7 ngày kể từ khi nhận hàng nếu sản phẩm còn nguyên tem mác và chưa qua sử dụng ạ.',
    keywords: 'đổi trả, đổi hàng, trả hàng, hoàn hàng, đổi size, return',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Tra cứu tình trạng đơn hàng',
    body: 'Bạn mở ứng dụng sàn, vào Đơn mua và chọn đơn để xem mã vận đơn và hành trình giao hàng ạ.',
    keywords: 'tình trạng đơn, kiểm tra đơn, đơn tới đâu, mã vận đơn, theo dõi đơn, tracking',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Xử lý giao hàng thất bại',
    body: 'Nếu đơn giao không thành công, shop sẽ liên hệ bạn xác nhận lại địa chỉ và hẹn đơn vị vận chuyển giao lại ạ.',
    keywords: 'giao thất bại, giao không thành công, giao lại, shipper không gọi, failed delivery',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Hủy đơn theo yêu cầu',
    body: 'Đơn chưa bàn giao cho đơn vị vận chuyển bạn hủy được trong mục Đơn mua trên ứng dụng sàn; đơn đã gửi đi thì bạn từ chối nhận hàng ạ.',
    keywords: 'hủy đơn, huỷ đơn, không muốn mua nữa, cancel',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Phí vận chuyển',
    body: 'Phí ship nội thành 20.000đ, ngoại thành 30.000đ; đơn từ 300.000đ được miễn phí vận chuyển ạ.',
    keywords: 'phí ship, phí vận chuyển, tiền ship, freeship, miễn phí vận chuyển, shipping fee',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Thời gian giao hàng',
    body: 'Đơn nội thành giao trong 1-2 ngày, các tỉnh khác 3-5 ngày làm việc kể từ khi shop gửi hàng ạ.',
    keywords:
      'thời gian giao hàng, giao mất mấy ngày, bao lâu nhận được hàng, giao nhanh, delivery time',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Phương thức thanh toán',
    body: 'Shop nhận thanh toán khi nhận hàng (COD), chuyển khoản ngân hàng, ví MoMo, ZaloPay và thẻ qua cổng thanh toán của sàn ạ.',
    keywords: 'thanh toán, trả tiền, COD, chuyển khoản, ví điện tử, payment',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Bảo hành sản phẩm',
    body: 'Sản phẩm lỗi do nhà sản xuất được bảo hành 6 tháng; bạn giữ mã đơn hoặc hóa đơn để shop hỗ trợ nhanh ạ.',
    keywords: 'bảo hành, hư hỏng, bung chỉ, lỗi sản xuất, warranty',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Hướng dẫn chọn size',
    body: 'Bạn xem bảng size trong ảnh sản phẩm; nếu phân vân giữa hai size shop khuyên chọn size lớn hơn, hoặc gửi chiều cao và cân nặng để shop tư vấn ạ.',
    keywords: 'chọn size, bảng size, size nào, mặc size, cỡ, chiều cao cân nặng, size guide',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Hoàn tiền',
    body: 'Tiền được hoàn về tài khoản hoặc ví bạn đã dùng để thanh toán trong 3-7 ngày làm việc sau khi sàn duyệt yêu cầu trả hàng ạ.',
    keywords: 'hoàn tiền, trả lại tiền, nhận lại tiền, refund',
  },
  {
    type: KnowledgeBaseType.CUSTOMER_SERVICE,
    title: 'Mã giảm giá',
    body: 'Bạn nhập mã giảm giá ở bước thanh toán; mỗi đơn dùng được một mã của shop và một mã của sàn ạ.',
    keywords: 'mã giảm giá, voucher, khuyến mãi, coupon, discount code',
  },
  {
    type: KnowledgeBaseType.TELESALES,
    title: 'Kịch bản chào khách mới',
    body: 'Giới thiệu shop, ưu đãi cho đơn đầu tiên và xin phép gửi mã giảm giá.',
    keywords: 'khách mới, chào hỏi, script',
  },
  {
    type: KnowledgeBaseType.TELESALES,
    title: 'Kịch bản chúc mừng sinh nhật',
    body: 'Chúc mừng sinh nhật và tặng voucher 10% trong 7 ngày.',
    keywords: 'sinh nhật, voucher, birthday',
  },
  {
    type: KnowledgeBaseType.TELESALES,
    title: 'Xử lý từ chối: giá cao',
    body: 'Nhấn mạnh chất lượng, chính sách bảo hành và combo tiết kiệm.',
    keywords: 'giá, từ chối, objection',
  },
  {
    type: KnowledgeBaseType.TELESALES,
    title: 'Chăm sóc lại khách hẹn gọi sau',
    body: 'Gọi lại đúng giờ hẹn, nhắc lại ưu đãi đang chờ.',
    keywords: 'gọi lại, call later, follow up',
  },
];

export type DemoTemplate = {
  name: string;
  /** Folded, as the API stores them. */
  keywords: string[];
  body: string;
  platform?: Platform;
  variants?: ReplyTemplateVariant[];
};

export const DEMO_TEMPLATES: readonly DemoTemplate[] = [
  {
    name: 'Chào khách',
    keywords: ['xin chao', 'chao shop', 'hello', 'alo'],
    body: 'Dạ shop chào bạn, bạn cần shop hỗ trợ gì ạ?',
    variants: [
      {
        platform: Platform.ZALO,
        body: 'Dạ shop chào bạn, cảm ơn bạn đã quan tâm Zalo OA của shop ạ!',
      },
    ],
  },
  {
    name: 'Giờ làm việc',
    keywords: ['gio lam viec', 'may gio', 'mo cua', 'dong cua'],
    body: 'Shop làm việc 8h-22h mỗi ngày, kể cả cuối tuần ạ.',
    variants: [
      { platform: Platform.FACEBOOK, body: 'Shop trả lời tin nhắn Messenger 8h-22h mỗi ngày ạ.' },
    ],
  },
  {
    name: 'Kiểm tra tồn kho',
    keywords: ['con hang', 'het hang', 'con size', 'con mau', 'co san', 'co mau'],
    body: 'Dạ bạn gửi giúp shop tên hoặc ảnh sản phẩm kèm màu, size cần để shop kiểm tra hàng ngay ạ.',
  },
  {
    name: 'Địa chỉ cửa hàng',
    keywords: ['dia chi shop', 'dia chi cua hang', 'cua hang', 'showroom'],
    body: 'Cửa hàng của shop ở 123 Lê Lợi, Quận 1, TP.HCM, mở cửa 8h-22h ạ.',
  },
  {
    name: 'Cảm ơn',
    keywords: ['cam on', 'thanks', 'thank you'],
    body: 'Dạ shop cảm ơn bạn nhiều ạ! Cần gì bạn cứ nhắn shop nhé.',
  },
  {
    // No keywords: agents send it (sendMessage templateId), the bot never does.
    name: 'Xác nhận đơn',
    keywords: [],
    body: 'Dạ {customerName}, shop đã xác nhận đơn {orderId} và sẽ gửi hàng trong hôm nay ạ.',
  },
];
