// Chinese (the default language). Every key here must exist in en.ts too: its type is this object's.
export const zh = {
  app: {
    name: '守望',
    title: '守望 · 相对贫困监测帮扶',
    subtitle: '赣州市相对贫困监测帮扶平台',
    language: '语言',
  },
  signIn: {
    title: '登录',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
    failed: '登录失败',
    expired: '登录已过期，请重新登录',
    signedOut: '您已退出登录',
  },
  layout: {
    signOut: '退出登录',
    role: '角色',
    area: '辖区',
    department: '部门',
    navigation: '导航',
  },
  pages: {
    placeholder: '此页面将在后续版本中提供。',
    households: { note: '农户档案（一户一表）：登记、更新、排查辖区内的农户。' },
    reports: { note: '统计报表：辖区内监测对象、识别与帮扶情况的统计。' },
    users: { note: '用户管理：为各级干部和行业部门开设账号、分配角色与辖区。' },
    audit: { note: '审计日志：所有记录的操作留痕，只读。' },
    forbidden: { title: '无权访问', note: '您的角色不能使用此页面。' },
    notFound: { title: '页面不存在', note: '请从左侧导航选择页面。' },
    backHome: '返回首页',
  },
  departments: {
    health: '卫生健康',
    medical_insurance: '医疗保障',
    civil_affairs: '民政',
    education: '教育',
    human_resources: '人力资源和社会保障',
    agriculture: '农业农村',
    emergency_management: '应急管理',
    disabled_persons_federation: '残疾人联合会',
    housing: '住房和城乡建设',
    public_security: '公安',
    natural_resources: '自然资源',
    insurer: '保险机构',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    unexpected: '服务器返回了意外的响应（{{status}}）',
    requestId: '请求编号',
  },
};

export type Messages = typeof zh;
