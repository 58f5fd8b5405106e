// Invented personal names for synthetic households: common surnames of southern Jiangxi and given-name
// characters, combined at random. Any resemblance to a real person is chance; the ID numbers are
// visibly synthetic (sequence block 9xx), so no record can be taken for a real one.

export const SURNAMES: readonly string[] = [
  ...'刘 钟 黄 谢 曾 赖 邱 陈 李 肖 王 张 杨 罗 温 廖 郭 吴 朱 彭'.split(' '),
  ...'何 林 胡 周 邓 宋 徐 叶 蔡 孙 丁 管 易 欧阳 邹 梁 袁 严 江 卢'.split(' '),
];

export const GIVEN_NAME_CHARACTERS: readonly string[] = [
  ...'秀 兰 英 华 平 明 春 梅 金 玉 国 建 文 军 芳 红 勇 伟 丽 强'.split(' '),
  ...'桂 生 发 福 荣 贵 淑 燕 林 珍 凤 海 清 根 德 志 辉 萍 霞 敏'.split(' '),
  ...'龙 东 水 财 娟 宇 涛 婷 杰 浩 欣 怡 子 轩 涵 晨 阳 佳 雨 思'.split(' '),
];
